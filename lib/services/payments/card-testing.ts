import { and, eq, or } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { blockList } from "@/db/schema";
import type { Actor } from "@/lib/actor";
import { recordAudit } from "@/lib/audit/record";
import { AppError } from "@/lib/errors";
import { RateLimiterRes, SharedLimiter } from "@/lib/http/rate-limiter";

/**
 * Card-testing protection (fraud rings try stolen numbers through card forms): card setups are
 * limited per customer and per address, and emails, addresses and card fingerprints on the block
 * list are refused. The refusal never says which rule matched. The limits are shared by every
 * instance (lib/http/rate-limiter.ts).
 */
const perCustomer = new SharedLimiter({ keyPrefix: "card_setup_customer", points: Number(process.env.CARD_SETUPS_PER_CUSTOMER_PER_HOUR ?? 10), duration: 3600 });
const perIp = new SharedLimiter({ keyPrefix: "card_setup_ip", points: Number(process.env.CARD_SETUPS_PER_IP_PER_HOUR ?? 20), duration: 3600 });

const REFUSED = "This card can't be added right now. Please contact support if this keeps happening.";

export async function limitCardSetup(input: { customerId: string; ip: string | null }): Promise<void> {
  try {
    await perCustomer.consume(input.customerId);
    if (input.ip) await perIp.consume(input.ip);
  } catch (rejection) {
    if (!(rejection instanceof RateLimiterRes)) throw rejection;
    throw new AppError("rate_limited", {
      userMessage: "Too many attempts to add a card. Please wait an hour and try again.",
      extra: { retry_after: Math.ceil(rejection.msBeforeNext / 1000) },
    });
  }
}

/** Refuse a card setup when the email, the address or (once known) the card's fingerprint is blocked. */
export async function refuseBlocked(
  tx: Executor,
  actor: Actor,
  input: { customerId: string; email: string; ip?: string | null; fingerprint?: string | null },
  at: Date,
): Promise<void> {
  const checks = [and(eq(blockList.kind, "email"), eq(blockList.value, input.email.toLowerCase()))];
  if (input.ip) checks.push(and(eq(blockList.kind, "ip"), eq(blockList.value, input.ip)));
  if (input.fingerprint) checks.push(and(eq(blockList.kind, "card_fingerprint"), eq(blockList.value, input.fingerprint)));
  const [hit] = await tx.select().from(blockList).where(or(...checks)).limit(1);
  if (!hit) return;
  await recordAudit(tx, actor, { action: "card_setup.blocked", entityType: "customer", entityId: input.customerId, after: { rule: hit.id, kind: hit.kind } }, at);
  throw new AppError("forbidden", { param: "payment_method", userMessage: REFUSED });
}
