import type { z } from "zod";
import type { Executor } from "@/db/client";
import { findInvoice } from "@/db/queries/invoices";
import { latestPayments } from "@/db/queries/payments";
import { toInvoice, type invoiceResource } from "./resources/invoice";

/** The invoice as the API shows it after an action: re-read with its lines and latest payment. */
export async function renderInvoice(db: Executor, id: string): Promise<z.input<typeof invoiceResource>> {
  const invoice = await findInvoice(db, id);
  if (!invoice) throw new Error(`invoice ${id} vanished`);
  const latest = await latestPayments(db, [id]);
  return toInvoice(invoice, latest.get(id));
}
