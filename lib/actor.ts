import type { Role } from "@/db/schema";

/** Who caused a change: recorded on every audit entry. */
export type Actor =
  | { type: "user"; id: string; role: Role; customerId?: string | null }
  | { type: "api_key"; id: string; livemode: boolean }
  | { type: "system"; id: string }
  | { type: "webhook"; id: string };

export const systemActor = (job: string): Actor => ({ type: "system", id: job });
