import type { Client } from "pg";
import { errorField, log } from "@/lib/observability/logger";
import { getHandle } from "@/db/client";
import { env } from "@/lib/env";

/** The channel drizzle/0050's statement trigger on outbox_events notifies, at commit, once per transaction. */
export const OUTBOX_CHANNEL = "tally_outbox";

const RECONNECT_MS = 1_000;

export interface CommitListener {
  close: () => Promise<void>;
}

/**
 * Call `onCommit` whenever a transaction that wrote outbox events commits, in any process on the
 * same database (decision 036): the dispatcher wakes at once instead of at its next poll, which
 * stays as the fallback. PostgreSQL: LISTEN on a connection of its own (a pooled one would lose it
 * when returned), opened again after a drop, with one call on (re)connecting for anything committed
 * while it was not listening. PGlite: its own listen, in this process.
 */
export async function listenForCommittedEvents(onCommit: () => void): Promise<CommitListener> {
  const { db, driver } = await getHandle();
  if (driver === "pglite") {
    const client = (db as unknown as { $client: { listen: (channel: string, callback: () => void) => Promise<() => Promise<void>> } }).$client;
    const unlisten = await client.listen(OUTBOX_CHANNEL, onCommit);
    return { close: () => unlisten() };
  }
  return listenOnPostgres(env().DATABASE_URL!, onCommit);
}

async function listenOnPostgres(url: string, onCommit: () => void): Promise<CommitListener> {
  const { Client } = await import("pg");
  let current: Client | null = null;
  let closed = false;
  let timer: NodeJS.Timeout | undefined;
  const again = () => {
    current = null;
    if (!closed && !timer) timer = setTimeout(() => void connect(), RECONNECT_MS).unref();
  };
  const connect = async (): Promise<void> => {
    timer = undefined;
    const client = new Client({ connectionString: url });
    client.on("notification", () => onCommit());
    client.on("error", (error) => {
      log.warn({ ...errorField(error) }, "outbox listener connection lost; polling until it is back");
      void client.end().catch(() => undefined);
      again();
    });
    client.on("end", again);
    try {
      await client.connect();
      await client.query(`listen ${OUTBOX_CHANNEL}`);
    } catch (error) {
      log.warn({ ...errorField(error) }, "outbox listener could not connect; polling until it can");
      void client.end().catch(() => undefined);
      again();
      return;
    }
    if (closed) return void (await client.end().catch(() => undefined));
    current = client;
    onCommit();
  };
  await connect();
  return {
    close: async () => {
      closed = true;
      clearTimeout(timer);
      await current?.end().catch(() => undefined);
    },
  };
}
