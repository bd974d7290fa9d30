import { eq } from "drizzle-orm";
import { cron } from "inngest";
import { getDb } from "@/db/client";
import { invoices } from "@/db/schema";
import { findCustomer } from "@/db/queries/customers";
import { ACTING_STAGES, nextStage, oldestPerCustomer, stageAt } from "@/lib/billing/dunning/policy";
import { FAN_OUT_CHUNK } from "@/lib/jobs/inngest-port";
import { failingInvoices, recordedStage } from "@/lib/services/dunning/dunning-state";
import { runDunning } from "@/lib/services/dunning/run-dunning";
import { getSetting } from "@/lib/services/settings/settings";
import { inngest } from "../client";
import { dunningEventId, eventNow, invoiceDunning } from "../events";

/**
 * Every 10 minutes: the dunning step over everyone (runDunning, the state-based safety net), then
 * one `billing/invoice.dunning` event per customer's oldest failing invoice still short of the
 * block, id `dunning:<invoice>:<first_failure_at>`, in batches of ≤ 500.
 */
export const dunningRun = inngest.createFunction(
  { id: "dunning-run", name: "dunning/run", triggers: [cron("*/10 * * * *")], concurrency: [{ limit: 1 }] },
  async ({ event, step }) => {
    const now = eventNow(event);
    const result = await step.run("run", async () => runDunning(await getDb(), now));
    const events = await step.run("select-failing", async () => {
      const db = await getDb();
      const schedule = await getSetting(db, "dunning.schedule_days");
      const out = [];
      for (const f of oldestPerCustomer(await failingInvoices(db, {}))) {
        if (!nextStage(f.firstFailureAt, await recordedStage(db, f.customerId, f.invoiceId), f.timeZone, schedule)) continue;
        const firstFailureAt = f.firstFailureAt.toISOString();
        out.push({ name: invoiceDunning.name, id: dunningEventId(f.invoiceId, firstFailureAt), data: { invoiceId: f.invoiceId, customerId: f.customerId, firstFailureAt } });
      }
      return out;
    });
    for (let i = 0; i * FAN_OUT_CHUNK < events.length; i++) {
      await step.sendEvent(`send-dunning-${i}`, events.slice(i * FAN_OUT_CHUNK, (i + 1) * FAN_OUT_CHUNK));
    }
    return { ...result, fannedOut: events.length };
  },
);

/**
 * One failing invoice's dunning: sleep until each stage (reminder, warning, blocked by
 * `dunning.schedule_days`, calendar days in the customer's zone from the first failed charge), re-read the invoice, and stop as
 * soon as it is no longer open (paid, voided, written off); otherwise act — runDunning for this
 * customer at the stage's instant, idempotent (the stage's event is its record). Built from
 * `step.sleepUntil` plus state checks, not waitForEvent (untestable with @inngest/test 1.0.0).
 * One live run per invoice (singleton, skip): the cron's re-sent events don't start a second one.
 */
export const invoiceDunningFlow = inngest.createFunction(
  {
    id: "dunning-invoice",
    name: "dunning/invoice",
    triggers: [invoiceDunning],
    singleton: { key: "event.data.invoiceId", mode: "skip" },
    concurrency: [{ key: "event.data.customerId", limit: 1 }],
    retries: 5,
  },
  async ({ event, step }) => {
    const { invoiceId, customerId } = event.data;
    const firstFailureAt = new Date(event.data.firstFailureAt);
    const schedule = await step.run("load-schedule", async () => getSetting(await getDb(), "dunning.schedule_days"));
    // The stages count calendar days in the customer's zone.
    const timeZone = await step.run("load-time-zone", async () => {
      const customer = await findCustomer(await getDb(), customerId);
      return customer?.timezone ?? "UTC";
    });
    for (const stage of ACTING_STAGES) {
      const at = stageAt(firstFailureAt, stage, timeZone, schedule);
      await step.sleepUntil(`sleep-until-${stage}`, at);
      const invoice = await step.run(`reload-invoice-${stage}`, async () => {
        const db = await getDb();
        const [row] = await db.select({ status: invoices.status }).from(invoices).where(eq(invoices.id, invoiceId));
        return { status: row?.status ?? "missing" };
      });
      if (invoice.status !== "open") return { invoice: invoiceId, stoppedAt: stage, status: invoice.status };
      await step.run(`act-${stage}`, async () => runDunning(await getDb(), at, { customerId }));
    }
    return { invoice: invoiceId, stoppedAt: null, status: "open" };
  },
);
