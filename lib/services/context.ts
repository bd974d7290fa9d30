import type { Db } from "@/db/client";
import type { Actor } from "@/lib/actor";
import type { ApplyMode } from "@/db/apply-writes";

/** What every use case receives: the database, who is acting, and the wall-clock time of the request. */
export interface ServiceContext {
  db: Db;
  actor: Actor;
  /** System time of the request; a customer on a test clock lives in the clock's time instead. */
  now: Date;
  requestId?: string;
  /** How planned writes are applied (db/apply-writes.ts): as set statements (the default) or row by row. Both store the same rows. */
  applyMode?: ApplyMode;
}
