import { sql, type SQL } from "drizzle-orm";
import { queryRows, type Executor } from "../client";
import { describeActor, describeEntry } from "@/lib/audit/describe";

/**
 * Everything that happened to one customer, newest first, from four sources merged in one query:
 * - the audit log: entries on the customer and on its subscriptions, invoices, payments, payment
 *   methods, credit notes and disputes (staff notes and escalations are audit entries too);
 * - outbox events for the customer (what Tally announced: invoice.paid, customer.subscription.updated…);
 * - emails sent to the customer;
 * - Stripe webhook events that concern it, matched by the gateway ids Tally stores (the gateway
 *   customer, its payments' PaymentIntents, its cards and disputes) or the ids Tally put in metadata.
 * Keyset-paginated on (time, source:id), so a page boundary never skips or repeats an entry even
 * when several sources recorded the same instant.
 */

export const timelineKinds = ["billing", "payments", "emails", "webhooks", "staff"] as const;
export type TimelineKind = (typeof timelineKinds)[number];
export type TimelineSource = "audit" | "event" | "email" | "webhook";

export interface TimelineEntry {
  /** Stable across pages: `<source>:<id>`. */
  key: string;
  source: TimelineSource;
  kind: TimelineKind;
  at: Date;
  /** The audit action, event type, email template or Stripe event type. */
  action: string;
  summary: string;
  actor: string;
  entity: { type: string; id: string } | null;
  /** Audit entries: the recorded before/after; events and webhooks: the payload (as `after`). */
  before: unknown;
  after: unknown;
}

export interface TimelinePage {
  entries: TimelineEntry[];
  /** Pass as `after` to read the next (older) page; null on the last page. */
  nextCursor: string | null;
}

export interface TimelineQuery {
  customerId: string;
  kinds?: readonly TimelineKind[];
  after?: string | null;
  limit?: number;
}

interface Row {
  source: TimelineSource;
  id: string;
  at_key: string;
  kind: TimelineKind;
  action: string;
  actor_type: string;
  actor_id: string;
  actor_email: string | null;
  actor_name: string | null;
  entity_type: string | null;
  entity_id: string | null;
  before: unknown;
  after: unknown;
  invoice_number: string | null;
  credit_note_number: string | null;
  currency: string;
}

const STAFF_ROLES = sql.raw(`('support', 'billing_admin', 'finance_viewer', 'super_admin')`);

export async function customerTimeline(tx: Executor, query: TimelineQuery): Promise<TimelinePage> {
  const limit = Math.min(Math.max(query.limit ?? 25, 1), 100);
  const c = query.customerId;
  const kinds = (query.kinds ?? []).filter((k) => (timelineKinds as readonly string[]).includes(k));
  const cursor = query.after ? decodeTimelineCursor(query.after) : null;
  const conditions: SQL[] = [];
  if (kinds.length > 0 && kinds.length < timelineKinds.length) {
    conditions.push(sql`t.kind in (${sql.join(kinds.map((k) => sql`${k}`), sql`, `)})`);
  }
  if (cursor) {
    conditions.push(sql`(t.at, t.sort_key) < ((${cursor.at}::timestamp at time zone 'UTC'), ${cursor.key} collate "C")`);
  }
  const where = conditions.length > 0 ? sql`where ${sql.join(conditions, sql` and `)}` : sql``;

  const rows = await queryRows<Row>(
    tx,
    sql`
    with
      subs as (select id from subscriptions where customer_id = ${c}),
      invs as (select id from invoices where customer_id = ${c}),
      pays as (select id, gateway_id from payments where customer_id = ${c}),
      pms as (select id, gateway_id from payment_methods where customer_id = ${c}),
      cns as (select id from credit_notes where customer_id = ${c}),
      dps as (select id, gateway_id from disputes where customer_id = ${c}),
      entries as (
        select 'audit' as source, a.id::text as id, a.at as at, a.action as action, a.actor_type as actor_type, a.actor_id as actor_id,
          a.entity_type as entity_type, a.entity_id as entity_id, a.before as before, a.after as after,
          case when a.entity_type in ('payment', 'payment_method', 'dispute') or a.action like 'payment%' or a.action like 'card_setup%' then 'payments' else 'billing' end as base_kind
        from audit_log a
        where (a.entity_type = 'customer' and a.entity_id = ${c})
          or (a.entity_type = 'subscription' and a.entity_id in (select id from subs))
          or (a.entity_type = 'invoice' and a.entity_id in (select id from invs))
          or (a.entity_type = 'payment' and a.entity_id in (select id from pays))
          or (a.entity_type = 'payment_method' and a.entity_id in (select id from pms))
          or (a.entity_type = 'credit_note' and a.entity_id in (select id from cns))
          or (a.entity_type = 'dispute' and a.entity_id in (select id from dps))
        union all
        select 'event', e.id, e.created_at, e.type, 'system', 'outbox', null, e.entity_id, null, e.payload,
          case when e.type like 'payment%' or e.type like 'invoice.payment_%' or e.type like 'charge.%' or e.type like 'dispute.%'
            or e.type like 'customer.default_payment_method%' then 'payments' else 'billing' end
        from outbox_events e
        where e.customer_id = ${c}
        union all
        select 'email', m.id, m.created_at, m.template, 'system', 'email', 'email', m.id, null,
          jsonb_build_object('to', m."to", 'subject', m.subject, 'status', m.status, 'transport', m.transport), 'emails'
        from emails m
        where m.customer_id = ${c}
        union all
        select 'webhook', s.id, s.created_at, s.type, 'webhook', 'stripe', 'stripe_event', s.id, null,
          jsonb_build_object('object', s.payload -> 'data' -> 'object', 'processed', s.processed_at is not null, 'error', s.error), 'webhooks'
        from stripe_events s
        where s.payload #>> '{data,object,customer}' = (select gateway_customer_id from customers where id = ${c})
          or s.payload #>> '{data,object,metadata,customer_id}' = ${c}
          or s.payload #>> '{data,object,metadata,payment_id}' in (select id from pays)
          or s.payload #>> '{data,object,id}' in (
            select gateway_id from pays where gateway_id is not null
            union all select gateway_id from pms
            union all select gateway_id from dps)
          or s.payload #>> '{data,object,payment_intent}' in (select gateway_id from pays where gateway_id is not null)
      )
    select t.source, t.id, t.at_key, t.kind, t.action, t.actor_type, t.actor_id, t.actor_email, t.actor_name, t.entity_type, t.entity_id,
      t.before, t.after, inv.number as invoice_number, cn.number as credit_note_number, cu.currency
    from (
      select x.*, (x.source || ':' || x.id) collate "C" as sort_key,
        to_char(x.at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US') as at_key,
        case when x.source = 'audit' and u.role in ${STAFF_ROLES} then 'staff' else x.base_kind end as kind,
        coalesce(u.email, k.name) as actor_email, u.name as actor_name
      from entries x
      left join users u on x.actor_type = 'user' and u.id = x.actor_id
      left join api_keys k on x.actor_type = 'api_key' and k.id = x.actor_id
    ) t
    left join credit_notes cn on cn.id = coalesce(case when t.entity_type = 'credit_note' then t.entity_id end, t.after ->> 'credit_note')
    left join invoices inv on inv.id = coalesce(case when t.entity_type = 'invoice' then t.entity_id end, cn.invoice_id,
      case when jsonb_typeof(t.after -> 'invoice') = 'string' then t.after ->> 'invoice' end)
    join customers cu on cu.id = ${c}
    ${where}
    order by t.at desc, t.sort_key desc
    limit ${limit + 1}`,
  );

  const page = rows.slice(0, limit).map(toEntry);
  const last = rows.length > limit ? rows[limit - 1] : undefined;
  return { entries: page, nextCursor: last ? encodeTimelineCursor({ at: last.at_key, key: `${last.source}:${last.id}` }) : null };
}

export function encodeTimelineCursor(cursor: { at: string; key: string }): string {
  return Buffer.from(`${cursor.at}|${cursor.key}`, "utf8").toString("base64url");
}

/** Null for anything that is not a cursor this module made (a tampered URL starts from the top). */
export function decodeTimelineCursor(value: string): { at: string; key: string } | null {
  let text: string;
  try {
    text = Buffer.from(value, "base64url").toString("utf8");
  } catch {
    return null;
  }
  const match = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6})\|((?:audit|event|email|webhook):[A-Za-z0-9_:.-]{1,200})$/.exec(text);
  return match ? { at: match[1]!, key: match[2]! } : null;
}

function toEntry(row: Row): TimelineEntry {
  return {
    key: `${row.source}:${row.id}`,
    source: row.source,
    kind: row.kind,
    at: new Date(`${row.at_key.slice(0, 23)}Z`),
    action: row.action,
    summary: describeEntry(row),
    actor: describeActor({ source: row.source, type: row.actor_type, id: row.actor_id, email: row.actor_email, name: row.actor_name }),
    entity: row.entity_type && row.entity_id ? { type: row.entity_type, id: row.entity_id } : null,
    before: row.before,
    after: row.after,
  };
}
