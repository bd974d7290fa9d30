import type { IngestFactTexts, IngestLookups, MeterRow, UsageCustomer } from "@/db/queries/usage";

/**
 * The facts usage ingest judged events with, remembered per database handle and mode so that the
 * next call naming the same customers and meter codes needs no lookup round trip. Nothing here is
 * trusted: a judgment made from remembered facts is stored by a statement that first checks every
 * fact it used against the database (the facts guard of insertUsageEvents) and writes nothing when
 * one has changed; the caller then forgets them and judges again from a fresh lookup. So no write
 * needs to tell this memory anything, in this process or another.
 */
interface Remembered {
  customers: Map<string, { customer: UsageCustomer; text: string }>;
  /** External id → customer id. */
  byExternalId: Map<string, string>;
  meters: Map<string, { meter: MeterRow; text: string }>;
  /** The late-window setting: its stored text (null: not set) and value; undefined until a lookup read it. */
  setting?: { text: string | null; value: unknown };
}

/** Past this many customers the memory starts over (it refills from the next lookups). */
const MAX_CUSTOMERS = 50_000;

const memories = new WeakMap<object, Map<boolean, Remembered>>();

function memoryOf(db: object, livemode: boolean): Remembered {
  let modes = memories.get(db);
  if (!modes) memories.set(db, (modes = new Map()));
  let memory = modes.get(livemode);
  if (!memory) modes.set(livemode, (memory = { customers: new Map(), byExternalId: new Map(), meters: new Map() }));
  return memory;
}

/** Keep what a fresh lookup read: the customers of `livemode` it found, the codes' meters and the setting. */
export function rememberFacts(db: object, livemode: boolean, lookups: IngestLookups & { texts: IngestFactTexts }): void {
  if (memoryOf(db, livemode).customers.size >= MAX_CUSTOMERS) forgetFacts(db, livemode);
  const fresh = memoryOf(db, livemode);
  for (const customer of lookups.customers) {
    const text = lookups.texts.customers.get(customer.id);
    if (customer.livemode !== livemode || text === undefined) continue;
    fresh.customers.set(customer.id, { customer, text });
    if (customer.externalId !== null) fresh.byExternalId.set(customer.externalId, customer.id);
  }
  for (const [code, meter] of lookups.meters) {
    const text = lookups.texts.meters.get(code);
    if (text !== undefined) fresh.meters.set(code, { meter, text });
  }
  fresh.setting = { text: lookups.texts.setting, value: lookups.lateWindowSetting };
}

/** Drop everything remembered for `livemode` (a guard found a fact changed). */
export function forgetFacts(db: object, livemode: boolean): void {
  memories.get(db)?.delete(livemode);
}

/**
 * The lookups for these events from memory, with the texts the facts guard checks — or null when
 * any customer, meter code or the setting is not remembered (the caller looks them up).
 */
export function recallFacts(
  db: object,
  livemode: boolean,
  named: readonly { customer?: string; customerExternalId?: string; meter: string }[],
): (IngestLookups & { texts: IngestFactTexts }) | null {
  const memory = memories.get(db)?.get(livemode);
  if (!memory?.setting) return null;
  const customers = new Map<string, UsageCustomer>();
  const meters = new Map<string, MeterRow>();
  const texts = { customers: new Map<string, string>(), meters: new Map<string, string>(), setting: memory.setting.text };
  for (const e of named) {
    const id = e.customer ?? (e.customerExternalId === undefined ? undefined : memory.byExternalId.get(e.customerExternalId));
    const customer = id === undefined ? undefined : memory.customers.get(id);
    const meter = memory.meters.get(e.meter);
    if (!customer || !meter) return null;
    // An external id moved to another customer since: not this memory's to answer.
    if (e.customerExternalId !== undefined && customer.customer.externalId !== e.customerExternalId) return null;
    customers.set(customer.customer.id, customer.customer);
    texts.customers.set(customer.customer.id, customer.text);
    meters.set(e.meter, meter.meter);
    texts.meters.set(e.meter, meter.text);
  }
  return { customers: [...customers.values()], meters, lateWindowSetting: memory.setting.value, texts };
}
