import { parseArgs } from "node:util";
import { getDb, closeDb } from "@/db/client";
import { demoBanner, seedDemo } from "@/db/seed";
import { roles, type Role } from "@/db/schema";
import { systemActor } from "@/lib/actor";
import { createApiKey } from "@/lib/api/keys";
import { holderOf } from "@/lib/boot/data-dir-lock";
import { appUrl, env } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { createUser } from "@/lib/services/users/create-user";

const usage = `Usage: npm run tally -- <command> [options]

Commands:
  migrate                                   apply database migrations
  seed                                      load demo data into an empty database
  create-user --email E --role R [--password P] [--name N]
                                            roles: ${roles.join(", ")}
  create-api-key --name NAME [--live]       print a new API key (shown once)
`;

async function main(): Promise<void> {
  const [command, ...rest] = process.argv.slice(2);
  const { values } = parseArgs({
    args: rest,
    options: { email: { type: "string" }, role: { type: "string" }, password: { type: "string" }, name: { type: "string" }, live: { type: "boolean" } },
  });
  if (!command || command === "help" || command === "--help") {
    console.log(usage);
    return;
  }
  // Refuse bad arguments before opening the database.
  if (command === "create-user") {
    if (!values.email || !values.role) fail("create-user needs --email and --role.");
    if (!roles.includes(values.role as Role)) fail(`Unknown role "${values.role}". Roles: ${roles.join(", ")}.`);
  }
  if (command === "create-api-key" && !values.name) fail("create-api-key needs --name NAME.");
  if (!["migrate", "seed", "create-user", "create-api-key"].includes(command)) fail(`Unknown command "${command}".\n\n${usage}`);
  const e = env();
  if (!e.DATABASE_URL) {
    const holder = holderOf(e.TALLY_DATA_DIR);
    if (holder) {
      fail(`The Tally server (pid ${holder}) has the embedded database open, and PGlite allows one process at a time.\nStop the server and run this again, or set DATABASE_URL to use PostgreSQL (which allows both).`);
    }
  }
  const db = await getDb();
  const ctx = { db, actor: systemActor("cli"), now: new Date() };
  switch (command) {
    case "migrate":
      console.log("Migrations applied.");
      break;
    case "seed": {
      const seeded = await seedDemo(db, ctx.now);
      console.log(seeded ? demoBanner(seeded.apiKey, appUrl()) : "The database already has users: demo data not loaded.");
      break;
    }
    case "create-user": {
      const user = await createUser(ctx, { email: values.email!, role: values.role as Role, name: values.name ?? null, password: values.password ?? null, emailVerified: true });
      console.log(`Created ${user.role} ${user.email} (${user.id}).${values.password ? "" : " No password set: they sign in with a magic link."}`);
      break;
    }
    case "create-api-key": {
      const key = await createApiKey(db, { name: values.name!, livemode: values.live ?? false, createdBy: "cli" });
      console.log(`API key "${values.name}" (${key.id}). Copy it now: it is not shown again.\n\n  ${key.key}\n`);
      break;
    }
  }
}

function fail(message: string): never {
  console.error(message);
  process.exit(1);
}

main()
  .catch((error: unknown) => {
    console.error(error instanceof AppError ? error.userMessage : error);
    process.exitCode = 1;
  })
  .finally(() => closeDb());
