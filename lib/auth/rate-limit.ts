import { RateLimiterMemory } from "rate-limiter-flexible";
import { AppError } from "@/lib/errors";

// Two limits on sign-in: per address (stops floods and spraying from one place) and per
// (address, account) pair (stops guessing one password). No per-account limit on its own, so an
// attacker elsewhere cannot lock a real user out.
const perIp = new RateLimiterMemory({ keyPrefix: "signin_ip", points: Number(process.env.SIGNIN_LIMIT_PER_IP ?? 30), duration: 60 });
const perIpAccount = new RateLimiterMemory({ keyPrefix: "signin_ip_account", points: 10, duration: 15 * 60 });

export async function limitSignIn(ip: string, account: string): Promise<void> {
  try {
    await perIp.consume(ip);
    await perIpAccount.consume(`${ip}|${account.toLowerCase()}`);
  } catch (rejection) {
    const ms = (rejection as { msBeforeNext?: number }).msBeforeNext ?? 60_000;
    throw new AppError("rate_limited", {
      userMessage: "Too many sign-in attempts. Please wait a minute and try again.",
      extra: { retryAfterSeconds: Math.ceil(ms / 1000) },
    });
  }
}
