import { pgTable, text } from "drizzle-orm/pg-core";
import { createdAt, ts } from "./columns";

/** Stripe-style test clocks: customers attached to one live in its frozen time. */
export const testClocks = pgTable("test_clocks", {
  id: text("id").primaryKey(),
  name: text("name"),
  frozenTime: ts("frozen_time").notNull(),
  status: text("status").$type<"ready" | "advancing">().notNull().default("ready"),
  createdAt: createdAt(),
});
