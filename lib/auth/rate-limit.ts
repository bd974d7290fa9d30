import { AppError } from "@/lib/errors";
import { RateLimiterRes, SharedLimiter } from "@/lib/http/rate-limiter";

// Two limits on sign-in: per address (stops floods and spraying from one place) and per
// (address, account) pair (stops guessing one password). No per-account limit on its own, so an
// attacker elsewhere cannot lock a real user out. Every instance spends the same budgets
// (lib/http/rate-limiter.ts).
const perIp = new SharedLimiter({ keyPrefix: "signin_ip", points: Number(process.env.SIGNIN_LIMIT_PER_IP ?? 30), duration: 60 });
const perIpAccount = new SharedLimiter({ keyPrefix: "signin_ip_account", points: 10, duration: 15 * 60 });
// Magic links also count per target address, whoever asks: an inbox gets at most this many links
// in 15 minutes. That locks no one out: the links that were sent are in that inbox, valid for a day.
export const MAGIC_LINKS_PER_ADDRESS = 5;
const perTarget = new SharedLimiter({ keyPrefix: "magic_link_target", points: MAGIC_LINKS_PER_ADDRESS, duration: 15 * 60 });

function refused(rejection: unknown): AppError {
  if (!(rejection instanceof RateLimiterRes)) throw rejection;
  return new AppError("rate_limited", {
    userMessage: "Too many sign-in attempts. Please wait a minute and try again.",
    extra: { retryAfterSeconds: Math.ceil(rejection.msBeforeNext / 1000) },
  });
}

/** A password attempt (or magic-link request) from client address `ip` for `account`. */
export async function limitSignIn(ip: string, account: string): Promise<void> {
  try {
    await perIp.consume(ip);
    await perIpAccount.consume(`${ip}|${account.toLowerCase()}`);
  } catch (rejection) {
    throw refused(rejection);
  }
}

/** A magic-link request from client address `requester` to the inbox `target`. */
export async function limitMagicLink(requester: string, target: string): Promise<void> {
  await limitSignIn(requester, target);
  try {
    await perTarget.consume(target.toLowerCase());
  } catch (rejection) {
    throw refused(rejection);
  }
}
