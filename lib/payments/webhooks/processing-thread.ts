import { Worker } from "node:worker_threads";
import type { Db } from "@/db/client";
import { enqueueStripeEvent } from "./queue";
import { pgPoolOf } from "./receive";

/**
 * Where a recorded event is processed. In the Next.js server on PostgreSQL: a worker thread of
 * its own (processing-worker.ts), so the handlers' work — twenty-odd statements, query building,
 * the garbage it leaves for the collector — never shares the event loop or the heap with the
 * requests being acknowledged. Elsewhere (tests calling the route directly, the CLI, embedded
 * PGlite, which is one connection in this thread) and whenever the thread cannot be started or has
 * stopped: the in-thread queue. Either way the row in `stripe_events` is what counts; an id lost
 * with a thread is processed by the sweeper.
 */
export function dispatchStripeEvent(db: Db, eventId: string, info: { type: string; requestId?: string }): void {
  const worker = processingThread(db);
  if (worker) worker.postMessage({ eventId, type: info.type, requestId: info.requestId });
  else enqueueStripeEvent(db, eventId, info);
}

/** The thread's pool: it runs at most CONCURRENCY events, each on one connection, plus its reads. */
const THREAD_POOL_SIZE = "4";

interface ThreadState {
  worker: Worker | null;
  /** Set once starting failed or the thread stopped: the in-thread queue from then on. */
  unavailable: boolean;
}

const registry = globalThis as unknown as { __tallyStripeThread?: ThreadState };
const state: ThreadState = (registry.__tallyStripeThread ??= { worker: null, unavailable: false });

function processingThread(db: Db): Worker | null {
  if (state.worker || state.unavailable) return state.worker;
  // Only in the Next.js server (its bundler builds the thread's entry), and only on PostgreSQL.
  if (process.env.NEXT_RUNTIME !== "nodejs" || !pgPoolOf(db)) {
    state.unavailable = true;
    return null;
  }
  try {
    const worker = new Worker(new URL("./processing-worker.ts", import.meta.url), {
      name: "tally-stripe-events",
      env: { ...process.env, DATABASE_POOL_SIZE: THREAD_POOL_SIZE },
    });
    worker.unref();
    const stop = (why: string) => {
      if (state.worker !== worker) return;
      state.worker = null;
      state.unavailable = true;
      console.error(`[tally] the webhook processing thread stopped (${why}); events are processed in the server thread, and any it held by the sweeper`);
    };
    worker.on("error", (error) => stop(error.message));
    worker.on("exit", (code) => stop(`exit code ${code}`));
    state.worker = worker;
    return worker;
  } catch (error) {
    state.unavailable = true;
    console.error("[tally] the webhook processing thread could not start; processing in the server thread:", error instanceof Error ? error.message : error);
    return null;
  }
}
