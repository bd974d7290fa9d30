import fs from "node:fs";
import path from "node:path";
import { eq, inArray, like, or, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import {
  auditLog,
  balanceTransactions,
  cancellationAttempts,
  customers,
  invoiceLines,
  invoices,
  outboxEvents,
  paymentMethods,
  payments,
  portalSessions,
  subscriptionItems,
  subscriptions,
  users,
} from "@/db/schema";

export const ROOT = path.resolve(__dirname, "../..");

/** Every file under `dir` (relative to the checkout) whose name matches, as checkout-relative paths. */
export function filesUnder(dir: string, name: (file: string) => boolean): string[] {
  const abs = path.join(ROOT, dir);
  if (!fs.existsSync(abs)) return [];
  const out: string[] = [];
  const walk = (d: string) => {
    for (const entry of fs.readdirSync(d, { withFileTypes: true })) {
      const full = path.join(d, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (name(entry.name)) out.push(path.relative(ROOT, full));
    }
  };
  walk(abs);
  return out.sort();
}

/** The server-action modules subscribers can reach: `actions.ts` and `*-actions.ts` in the portal and the public pages. */
export function portalActionModules(): string[] {
  const isActions = (f: string) => f === "actions.ts" || f.endsWith("-actions.ts");
  return [...filesUnder("app/(portal)", isActions), ...filesUnder("app/(public)", isActions)];
}

/** The route handlers subscribers can reach: the portal, the public pages and the portal-session link. */
export function portalRouteModules(): string[] {
  const isRoute = (f: string) => f === "route.ts";
  return [...filesUnder("app/(portal)", isRoute), ...filesUnder("app/(public)", isRoute), ...filesUnder("app/portal", isRoute)];
}

/** Every portal and public page. */
export function portalPageModules(): string[] {
  const isPage = (f: string) => f === "page.tsx";
  return [...filesUnder("app/(portal)", isPage), ...filesUnder("app/(public)", isPage)];
}

/**
 * Everything Tally holds about one customer, as rows, for a before/after comparison: the customer,
 * its users, cards, subscriptions and items, invoices and lines, payments, cancel-flow attempts,
 * credit ledger, portal sessions, outbox events and every audit entry about any of those rows.
 */
export async function customerSnapshot(db: Db, customerId: string) {
  const subs = await db.select().from(subscriptions).where(eq(subscriptions.customerId, customerId)).orderBy(subscriptions.id);
  const subIds = subs.map((s) => s.id);
  const invs = await db.select().from(invoices).where(eq(invoices.customerId, customerId)).orderBy(invoices.id);
  const invIds = invs.map((i) => i.id);
  const cards = await db.select().from(paymentMethods).where(eq(paymentMethods.customerId, customerId)).orderBy(paymentMethods.id);
  const pays = await db.select().from(payments).where(eq(payments.customerId, customerId)).orderBy(payments.id);
  const attempts = await db.select().from(cancellationAttempts).where(eq(cancellationAttempts.customerId, customerId)).orderBy(cancellationAttempts.id);
  const people = await db.select().from(users).where(eq(users.customerId, customerId)).orderBy(users.id);
  const entityIds = [customerId, ...subIds, ...invIds, ...cards.map((c) => c.id), ...pays.map((p) => p.id), ...attempts.map((a) => a.id), ...people.map((u) => u.id)];
  return {
    customer: await db.select().from(customers).where(eq(customers.id, customerId)),
    users: people,
    paymentMethods: cards,
    subscriptions: subs,
    subscriptionItems: subIds.length ? await db.select().from(subscriptionItems).where(inArray(subscriptionItems.subscriptionId, subIds)).orderBy(subscriptionItems.id) : [],
    invoices: invs,
    invoiceLines: invIds.length ? await db.select().from(invoiceLines).where(inArray(invoiceLines.invoiceId, invIds)).orderBy(invoiceLines.id) : [],
    payments: pays,
    cancellationAttempts: attempts,
    balanceTransactions: await db.select().from(balanceTransactions).where(eq(balanceTransactions.customerId, customerId)).orderBy(balanceTransactions.id),
    portalSessions: await db.select().from(portalSessions).where(eq(portalSessions.customerId, customerId)).orderBy(portalSessions.id),
    outboxEvents: await db
      .select({ id: outboxEvents.id, type: outboxEvents.type })
      .from(outboxEvents)
      .where(or(eq(outboxEvents.customerId, customerId), like(sql`${outboxEvents.payload}::text`, `%${customerId}%`)))
      .orderBy(outboxEvents.id),
    audit: await db.select().from(auditLog).where(inArray(auditLog.entityId, entityIds)).orderBy(auditLog.id),
  };
}

/** A FormData from plain fields. */
export function form(fields: Record<string, string | number>): FormData {
  const data = new FormData();
  for (const [key, value] of Object.entries(fields)) data.set(key, String(value));
  return data;
}

/** Next's notFound() and redirect() throw errors carrying a digest; these read it. */
export function digestOf(error: unknown): string {
  return typeof error === "object" && error !== null && "digest" in error ? String((error as { digest: unknown }).digest) : "";
}
export const isNotFound = (error: unknown) => digestOf(error).startsWith("NEXT_HTTP_ERROR_FALLBACK;404");
export const isRedirect = (error: unknown) => digestOf(error).startsWith("NEXT_REDIRECT");

/**
 * A light server render of a page's element tree: server components (sync or async) are called
 * with their props and their output walked; client components, which need React's renderer for
 * their hooks, are kept as a leaf whose props are serialised (that is everything they receive
 * from the server). Returns the text of every prop and child, for "no byte of B's data" checks.
 */
export async function renderedText(node: unknown, depth = 0): Promise<string> {
  if (depth > 60 || node === null || node === undefined || typeof node === "boolean") return "";
  if (typeof node === "string" || typeof node === "number" || typeof node === "bigint") return String(node);
  if (node instanceof Date) return node.toISOString();
  if (typeof node === "function") return "";
  if (node instanceof Promise) return renderedText(await node, depth + 1);
  if (Array.isArray(node)) return (await Promise.all(node.map((n) => renderedText(n, depth + 1)))).join(" ");
  if (typeof node !== "object") return "";
  const element = node as { $$typeof?: symbol; type?: unknown; props?: Record<string, unknown> };
  if (element.$$typeof && "props" in element) {
    const props = element.props ?? {};
    const own = await Promise.all(Object.entries(props).map(([key, value]) => (key === "children" ? "" : renderedText(value, depth + 1))));
    let inner = "";
    if (typeof element.type === "function") {
      const quiet = console.error;
      let output: unknown;
      let client = false;
      // React prints "Invalid hook call" before throwing for a client component: not a test failure.
      console.error = () => {};
      try {
        output = (element.type as (p: unknown) => unknown)(props);
      } catch (error) {
        if (isNotFound(error) || isRedirect(error)) throw error;
        // A client component: its hooks need the renderer. Its props were read above.
        client = true;
      } finally {
        console.error = quiet;
      }
      inner = await renderedText(client ? props.children : output, depth + 1);
    } else if (typeof element.type === "object" && element.type !== null) {
      // Context providers, memo/forwardRef wrappers: their props and children.
      inner = await renderedText(props.children, depth + 1);
    } else {
      inner = await renderedText(props.children, depth + 1);
    }
    return `${own.join(" ")} ${inner}`;
  }
  return (await Promise.all(Object.values(node as Record<string, unknown>).map((v) => renderedText(v, depth + 1)))).join(" ");
}
