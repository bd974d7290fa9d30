import { z } from "zod";
import { amountInCurrencyField, idField, quantityField } from "../fields";
import { defineOperation } from "../operation";
import { listOf, listQuery } from "../pagination";
import { creditNoteReasons, creditNoteResource } from "../resources/credit-note";

export const createCreditNoteOp = defineOperation({
  method: "POST",
  path: "/credit_notes",
  operationId: "createCreditNote",
  summary: "Issue a credit note against a finalized invoice",
  description:
    "Credit either an `amount` (gross, tax included, spread over the invoice's lines) or named `lines` by amount or quantity; the tax inside is split the way the invoice taxed each line. " +
    "On a paid invoice at most what was paid and not yet credited can be credited: `refund` returns it to the card, `credit` to the customer's balance, `out_of_band` records a repayment made outside Tally. " +
    "On an open or uncollectible invoice the note reduces the amount still owed (outcome `reduce_amount_due`) and at most that amount can be credited; owing nothing more, the invoice is paid. " +
    "More than remains creditable → 422.",
  tags: ["Credit notes"],
  body: z.object({
    invoice: idField("in"),
    amount: amountInCurrencyField.optional().meta({ description: "Gross amount to credit, tax included, in integer minor units. Give this or lines." }),
    lines: z
      .array(
        z
          .object({
            invoice_line: idField("il"),
            amount: amountInCurrencyField.optional().meta({ description: "Gross amount to credit on the line, tax included." }),
            quantity: quantityField.optional().meta({ description: "Units of the line to credit, from 1 to its quantity." }),
          })
          .strict(),
      )
      .min(1)
      .max(100)
      .optional(),
    reason: z.enum(creditNoteReasons),
    outcome: z.enum(["refund", "credit", "out_of_band"]),
    memo: z.string().max(1000).optional(),
  }),
  response: creditNoteResource,
});

export const listCreditNotesOp = defineOperation({
  method: "GET",
  path: "/credit_notes",
  operationId: "listCreditNotes",
  summary: "List credit notes, newest first",
  tags: ["Credit notes"],
  query: listQuery.extend({ invoice: idField("in").optional(), customer: idField("cus").optional() }),
  response: listOf(creditNoteResource),
});

export const retrieveCreditNoteOp = defineOperation({
  method: "GET",
  path: "/credit_notes/{id}",
  operationId: "retrieveCreditNote",
  summary: "Retrieve a credit note with its lines",
  tags: ["Credit notes"],
  params: z.object({ id: idField("cn") }).strict(),
  response: creditNoteResource,
});

export const creditNoteOperations = [createCreditNoteOp, listCreditNotesOp, retrieveCreditNoteOp];
