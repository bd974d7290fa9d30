import { jsonb, pgTable, text } from "drizzle-orm/pg-core";
import { ts } from "./columns";

/** Business settings staff can change (retry schedule, branding, …): one row per key, validated on write. */
export const settings = pgTable("settings", {
  key: text("key").primaryKey(),
  value: jsonb("value").notNull(),
  updatedAt: ts("updated_at").notNull(),
  updatedBy: text("updated_by"),
});
