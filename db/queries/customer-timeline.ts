import { sql, type SQL } from "drizzle-orm";
import { queryRows, type Executor } from "../client";
import type { Formatter } from "@/lib/format";
import { describeActor, describeEntry, describeUsageDay, type UsageDay } from "@/lib/audit/describe";
import { eventAuditPairs } from "@/lib/audit/event-pairs";

/**
 * Everything that happened to one customer, newest first, from four sources merged in one query:
 * - the audit log: entries on the customer and on its subscriptions, invoices, payments, payment
 *   methods, credit notes and disputes (staff notes and escalations are audit entries too);
 * - outbox events for the customer (what Tally announced: invoice.paid, customer.subscription.updated…);
 * - emails sent to the customer;
 * - Stripe webhook events that concern it, matched by the gateway ids Tally stores (the gateway
 *   customer, its payments' PaymentIntents, its cards and disputes) or the ids Tally put in metadata;
 * - its usage: one entry per meter (current version) and UTC day with usage, dated by the day's last
 *   event, from the hourly rollups, with the day's late events counted from the raw ones.
 * One change is one entry: an event written with an audit entry for the same change (the same
 * transaction, so the same `recorded_at`; a corresponding name, lib/audit/event-pairs.ts; the same
 * record) is shown inside that entry, not beside it.
 * Keyset-paginated on (time, source:id), so a page boundary never skips or repeats an entry even
 * when several sources recorded the same instant.
 */

/**
 * Filters. An entry has one topic (billing, payments, cards, emails, webhooks, or staff for notes
 * and escalations); "staff" also takes every change a staff member made, whatever its topic.
 * Payments are money moving and attempts to move it: charges paid or failed, authentication
 * needed, manual payments, refunds, disputes. Cards are the means: cards added, removed, updated,
 * made the default, or refused at setup.
 */
export const timelineKinds = ["billing", "payments", "usage", "cards", "emails", "webhooks", "staff"] as const;
export type TimelineKind = (typeof timelineKinds)[number];
export type TimelineSource = "audit" | "event" | "email" | "webhook" | "usage";

/** An outbox event shown inside the audit entry of the same change. */
export interface TimelineEvent {
  id: string;
  type: string;
  at: Date;
  payload: unknown;
}

export interface TimelineEntry {
  /** Stable across pages: `<source>:<id>`. */
  key: string;
  source: TimelineSource;
  kind: TimelineKind;
  /** Made by a staff member (shown under the Staff filter too). */
  byStaff: boolean;
  at: Date;
  /** The audit action, event type, email template or Stripe event type. */
  action: string;
  summary: string;
  actor: string;
  entity: { type: string; id: string } | null;
  /** Audit entries: the recorded before/after; events and webhooks: the payload (as `after`). */
  before: unknown;
  after: unknown;
  /** Audit entries: the events Tally wrote for the same change; empty otherwise. */
  events: TimelineEvent[];
  /** Audit entries: the entry's own time (`at` is its event's when it has one: the customer's clock). */
  auditAt: Date | null;
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
  /** How summaries write amounts and dates (the staff member's locale). */
  fmt: Formatter;
}

interface Row {
  source: TimelineSource;
  id: string;
  at_key: string;
  kind: TimelineKind;
  by_staff: boolean;
  action: string;
  actor_type: string;
  actor_id: string;
  actor_email: string | null;
  actor_name: string | null;
  entity_type: string | null;
  entity_id: string | null;
  before: unknown;
  after: unknown;
  events: { id: string; type: string; at: string; payload: unknown }[] | null;
  audit_at: string | null;
  invoice_number: string | null;
  credit_note_number: string | null;
  currency: string;
  payment_amount: string | number | null;
  payment_currency: string | null;
  payment_method: string | null;
  card_brand: string | null;
  card_last4: string | null;
}

const STAFF_ROLES = sql.raw(`('support', 'billing_admin', 'finance_viewer', 'super_admin')`);
const PAIR_EVENTS = eventAuditPairs.map(([event]) => event);
const PAIR_ACTIONS = eventAuditPairs.map(([, action]) => action);
/** Event `e` and audit entry `a` record the same change: corresponding names, about the same record. */
const SAME_CHANGE = sql`(a.action = e.pair_type or exists (select 1 from pairs p where p.event_type = e.pair_type and p.audit_action = a.action))
  and (a.entity_id in (e.entity_id, e.invoice_link) or a.invoice_link = e.entity_id or (a.entity_type = 'customer' and a.entity_id = e.customer_id))`;

export async function customerTimeline(tx: Executor, query: TimelineQuery): Promise<TimelinePage> {
  const limit = Math.min(Math.max(query.limit ?? 25, 1), 100);
  const c = query.customerId;
  const kinds = (query.kinds ?? []).filter((k) => (timelineKinds as readonly string[]).includes(k));
  const cursor = query.after ? decodeTimelineCursor(query.after) : null;
  const conditions: SQL[] = [];
  if (kinds.length > 0 && kinds.length < timelineKinds.length) {
    const topic = sql`t.kind in (${sql.join(kinds.map((k) => sql`${k}`), sql`, `)})`;
    conditions.push(kinds.includes("staff") ? sql`(${topic} or t.by_staff)` : topic);
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
      pays as (select id, gateway_id, invoice_id from payments where customer_id = ${c}),
      pms as (select id, gateway_id from payment_methods where customer_id = ${c}),
      cns as (select id, invoice_id from credit_notes where customer_id = ${c}),
      dps as (select id, gateway_id from disputes where customer_id = ${c}),
      rcs as (select id, invoice_id from receipts where customer_id = ${c}),
      audits as (
        select a.id, a.at, a.recorded_at, a.action, a.actor_type, a.actor_id, a.entity_type, a.entity_id, a.before, a.after,
          -- The invoice a payment or credit note entry is about: its event is on the invoice.
          case a.entity_type
            when 'payment' then (select p.invoice_id from pays p where p.id = a.entity_id)
            when 'credit_note' then (select n.invoice_id from cns n where n.id = a.entity_id)
            when 'receipt' then (select r.invoice_id from rcs r where r.id = a.entity_id)
          end as invoice_link
        from audit_log a
        where (a.entity_type = 'customer' and a.entity_id = ${c})
          or (a.entity_type = 'subscription' and a.entity_id in (select id from subs))
          or (a.entity_type = 'invoice' and a.entity_id in (select id from invs))
          or (a.entity_type = 'payment' and a.entity_id in (select id from pays))
          or (a.entity_type = 'payment_method' and a.entity_id in (select id from pms))
          or (a.entity_type = 'credit_note' and a.entity_id in (select id from cns))
          or (a.entity_type = 'dispute' and a.entity_id in (select id from dps))
          or (a.entity_type = 'receipt' and a.entity_id in (select id from rcs))
      ),
      events as (
        select e.id, e.created_at as at, e.recorded_at, e.type, e.entity_id, e.customer_id, e.payload,
          case when e.type = 'customer.subscription.updated' and jsonb_typeof(e.payload -> 'to') = 'string'
            then 'subscription.' || (e.payload ->> 'to') else e.type end as pair_type,
          (select p.invoice_id from pays p where p.id = e.entity_id) as invoice_link
        from outbox_events e
        where e.customer_id = ${c}
      ),
      usage_days as (
        select r.meter_id, date_trunc('day', r.hour, 'UTC') as day, sum(r.event_count) as events, max(r.last_timestamp) as last_at,
          sum(r.value_sum) as total, max(r.value_max) as peak,
          (array_agg(r.last_value order by r.last_timestamp desc, r.last_identifier desc))[1] as latest
        from usage_rollups r join meters m on m.id = r.meter_id and m.active
        where r.customer_id = ${c}
        group by 1, 2
      ),
      usage_uniques as (
        select v.meter_id, date_trunc('day', v.hour, 'UTC') as day, count(distinct v.value) as n
        from usage_rollup_values v join meters m on m.id = v.meter_id and m.active and m.aggregation = 'unique_count'
        where v.customer_id = ${c}
        group by 1, 2
      ),
      usage_late as (
        select e.meter_code, date_trunc('day', e."timestamp", 'UTC') as day, count(*) as n
        from usage_events e where e.customer_id = ${c} and e.late
        group by 1, 2
      ),
      pairs as (select * from unnest(${sql.param(PAIR_EVENTS)}::text[], ${sql.param(PAIR_ACTIONS)}::text[]) as p(event_type, audit_action)),
      -- An event and an audit entry of the same change: written together (same recorded_at; rows
      -- from before recorded_at existed: the same time), with corresponding names, about the same record.
      candidates as (
        select e.id as event_id, e.type as event_type, a.id as audit_id, true as same_write, a.action = e.pair_type as same_name
        from events e join audits a on a.recorded_at = e.recorded_at
        where ${SAME_CHANGE}
        union all
        select e.id, e.type, a.id, false, a.action = e.pair_type
        from events e join audits a on a.at = e.at and a.recorded_at <> e.recorded_at
        where ${SAME_CHANGE}
      ),
      -- One event per entry and type, each event in one entry.
      links as (
        select event_id, audit_id from (
          select x.*, row_number() over (partition by x.audit_id, x.event_type order by x.event_id) as nth
          from (select c.*, row_number() over (partition by c.event_id order by c.same_write desc, c.same_name desc, c.audit_id) as choice from candidates c) x
          where x.choice = 1
        ) y where y.nth = 1
      ),
      linked as (
        select l.audit_id, min(e.at) as event_at,
          jsonb_agg(jsonb_build_object('id', e.id, 'type', e.type, 'at', to_char(e.at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'), 'payload', e.payload) order by e.id) as events
        from links l join events e on e.id = l.event_id
        group by l.audit_id
      ),
      entries as (
        -- A change with an event is dated by it: some writers date a test-clock customer's audit entry
        -- in real time and its event in the clock's (the two agree for everyone else).
        select 'audit' as source, a.id::text as id, coalesce(k.event_at, a.at) as at, a.action as action, a.actor_type as actor_type, a.actor_id as actor_id,
          a.entity_type as entity_type, a.entity_id as entity_id, a.before as before, a.after as after, k.events as events, a.at as audit_at
        from audits a left join linked k on k.audit_id = a.id
        union all
        select 'event', e.id, e.at, e.type, 'system', 'outbox', null, e.entity_id, null, e.payload, null, null
        from events e
        where not exists (select 1 from links l where l.event_id = e.id)
        union all
        select 'email', m.id, m.created_at, m.template, 'system', 'email', 'email', m.id, null,
          jsonb_build_object('to', m."to", 'subject', m.subject, 'status', m.status, 'transport', m.transport), null, null
        from emails m
        where m.customer_id = ${c}
        union all
        select 'webhook', s.id, s.created_at, s.type, 'webhook', 'stripe', 'stripe_event', s.id, null,
          jsonb_build_object('object', s.payload -> 'data' -> 'object', 'processed', s.processed_at is not null, 'error', s.error), null, null
        from stripe_events s
        where s.payload #>> '{data,object,customer}' = (select gateway_customer_id from customers where id = ${c})
          or s.payload #>> '{data,object,metadata,customer_id}' = ${c}
          or s.payload #>> '{data,object,metadata,payment_id}' in (select id from pays)
          or s.payload #>> '{data,object,id}' in (
            select gateway_id from pays where gateway_id is not null
            union all select gateway_id from pms
            union all select gateway_id from dps)
          or s.payload #>> '{data,object,payment_intent}' in (select gateway_id from pays where gateway_id is not null)
        union all
        select 'usage', d.meter_id || ':' || to_char(d.day at time zone 'UTC', 'YYYY-MM-DD'), d.last_at, 'usage.daily', 'system', 'usage', 'meter', d.meter_id, null,
          jsonb_build_object('meter', m.id, 'code', m.code, 'name', m.name, 'version', m.version, 'aggregation', m.aggregation,
            'day', to_char(d.day at time zone 'UTC', 'YYYY-MM-DD'), 'events', d.events, 'late', coalesce(l.n, 0),
            'value', trim_scale(case m.aggregation when 'sum' then d.total when 'count' then d.events when 'max' then d.peak when 'last' then d.latest else coalesce(q.n, 0) end)::text),
          null, null
        from usage_days d join meters m on m.id = d.meter_id
        left join usage_uniques q on q.meter_id = d.meter_id and q.day = d.day
        left join usage_late l on l.meter_code = m.code and l.day = d.day
      )
    select t.source, t.id, t.at_key, t.kind, t.by_staff, t.action, t.actor_type, t.actor_id, t.actor_email, t.actor_name, t.entity_type, t.entity_id,
      t.before, t.after, t.events, to_char(t.audit_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as audit_at, inv.number as invoice_number, cn.number as credit_note_number, cu.currency,
      py.amount as payment_amount, py.currency as payment_currency, py.method as payment_method, pm.brand as card_brand, pm.last4 as card_last4
    from (
      select x.*, (x.source || ':' || x.id) collate "C" as sort_key,
        to_char(x.at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US') as at_key,
        case
          when x.source = 'email' then 'emails'
          when x.source = 'webhook' then 'webhooks'
          when x.source = 'usage' or x.action = 'customer.usage_reaggregated' then 'usage'
          when x.action in ('customer.note_added', 'customer.escalated', 'customer.escalation_resolved') then 'staff'
          when x.action like 'payment\_method.%' or x.action like 'card\_setup.%' or x.action like 'customer.default\_payment\_method%' then 'cards'
          when x.action in ('invoice.paid', 'invoice.payment_failed', 'invoice.payment_action_required', 'invoice.disputed')
            or x.action like 'payment.%' or x.action like 'dispute.%' or x.action like 'charge.%'
            or (x.action = 'credit_note.created' and x.after ->> 'outcome' = 'refund') then 'payments'
          else 'billing'
        end as kind,
        (x.source = 'audit' and coalesce(u.role in ${STAFF_ROLES}, false)) as by_staff,
        coalesce(u.email, k.name) as actor_email, u.name as actor_name
      from entries x
      left join users u on x.actor_type = 'user' and u.id = x.actor_id
      left join api_keys k on x.actor_type = 'api_key' and k.id = x.actor_id
    ) t
    left join credit_notes cn on cn.id = coalesce(case when t.entity_type = 'credit_note' then t.entity_id end, t.after ->> 'credit_note')
    -- The payment an entry is about: its own record, the one it names, or the first one a refund went to.
    left join payments py on py.id = coalesce(
      case when t.entity_type = 'payment' or (t.source = 'event' and t.action like 'payment.%') then t.entity_id end,
      case when jsonb_typeof(t.after -> 'payment') = 'string' then t.after ->> 'payment' end,
      t.after #>> '{refunds,0,payment}')
    left join payment_methods pm on pm.id = py.payment_method_id
    left join invoices inv on inv.id = coalesce(case when t.entity_type = 'invoice' then t.entity_id end, cn.invoice_id,
      case when jsonb_typeof(t.after -> 'invoice') = 'string' then t.after ->> 'invoice' end, py.invoice_id)
    join customers cu on cu.id = ${c}
    ${where}
    order by t.at desc, t.sort_key desc
    limit ${limit + 1}`,
  );

  const page = rows.slice(0, limit).map((row) => toEntry(row, query.fmt));
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
  const match = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6})\|((?:audit|event|email|webhook|usage):[A-Za-z0-9_:.-]{1,200})$/.exec(text);
  return match ? { at: match[1]!, key: match[2]! } : null;
}

function toEntry(row: Row, fmt: Formatter): TimelineEntry {
  const payment =
    row.payment_amount !== null && row.payment_currency
      ? { amount: Number(row.payment_amount), currency: row.payment_currency, method: row.payment_method, brand: row.card_brand, last4: row.card_last4 }
      : null;
  return {
    key: `${row.source}:${row.id}`,
    source: row.source,
    kind: row.kind,
    byStaff: row.by_staff,
    at: new Date(`${row.at_key.slice(0, 23)}Z`),
    action: row.action,
    summary: row.source === "usage" ? describeUsageDay(row.after as UsageDay, fmt) : describeEntry({ ...row, source: row.source, payment }, fmt),
    actor: row.source === "usage" ? "Usage events" : describeActor({ source: row.source, type: row.actor_type, id: row.actor_id, email: row.actor_email, name: row.actor_name }),
    entity: row.entity_type && row.entity_id ? { type: row.entity_type, id: row.entity_id } : null,
    before: row.before,
    after: row.after,
    events: (row.events ?? []).map((e) => ({ id: e.id, type: e.type, at: new Date(e.at), payload: e.payload })),
    auditAt: row.audit_at ? new Date(row.audit_at) : null,
  };
}
