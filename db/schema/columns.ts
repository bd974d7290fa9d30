import { bigint, customType, text, timestamp } from "drizzle-orm/pg-core";

/** Money: integer minor units in a bigint column; JS side is a safe integer (see docs/decisions/001-money.md). */
export const money = (name: string) => bigint(name, { mode: "number" });
export const currency = (name = "currency") => text(name).notNull();
export const ts = (name: string) => timestamp(name, { withTimezone: true, mode: "date" });
export const createdAt = () => ts("created_at").notNull().defaultNow();

/** Binary content (a PDF): a Buffer on the JS side, bytea in PostgreSQL and PGlite. */
export const bytea = customType<{ data: Buffer; driverData: Buffer | Uint8Array }>({
  dataType: () => "bytea",
  fromDriver: (value) => Buffer.from(value),
});
