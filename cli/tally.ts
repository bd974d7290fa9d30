import { parseArgs } from "node:util";
import { getDb, closeDb } from "@/db/client";
import { demoBanner, seedDemo } from "@/db/seed";
import { roles, type Role } from "@/db/schema";
import { systemActor } from "@/lib/actor";
import { createApiKey } from "@/lib/api/keys";
import { authSecretProblem } from "@/lib/auth/secret";
import { issueSignInLink } from "@/lib/auth/sign-in-link";
import { holderOf } from "@/lib/boot/data-dir-lock";
import { appUrl, env } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { rebuildMrr } from "@/lib/services/analytics/mrr";
import { runDueSubscriptions } from "@/lib/services/billing-run/run-due-subscriptions";
import { getSetting, setSetting, settingDefinitions, type SettingKey } from "@/lib/services/settings/settings";
import { createUser } from "@/lib/services/users/create-user";

const usage = `Usage: npm run tally -- <command> [options]

Commands:
  migrate                                   apply database migrations
  seed                                      load demo data into an empty database
  create-user --email E --role R [--password P] [--name N]
                                            roles: ${roles.join(", ")}; without a password,
                                            prints a one-time sign-in link
  create-api-key --name NAME --test|--live  print a new API key (shown once); live keys need Stripe
  settings                                  show every setting and its value
  set KEY JSON                              change a setting, e.g. set payments.retry_schedule_days "[1,3,7,14]"
  bill-due [--limit N]                      bill every subscription due now (what the billing job runs
                                            every minute) and print what was done
  rebuild-mrr                               recompute every customer's MRR movements from the
                                            invoices and subscription history
`;

async function main(): Promise<void> {
  const [command, ...rest] = process.argv.slice(2);
  const { values } = parseArgs({
    args: rest,
    allowPositionals: true,
    options: { limit: { type: "string" }, email: { type: "string" }, role: { type: "string" }, password: { type: "string" }, name: { type: "string" }, live: { type: "boolean" }, test: { type: "boolean" } },
  });
  if (!command || command === "help" || command === "--help") {
    console.log(usage);
    return;
  }
  // Refuse bad arguments before opening the database.
  if (command === "create-user") {
    if (!values.email || !values.role) fail("create-user needs --email and --role.");
    if (!roles.includes(values.role as Role)) fail(`Unknown role "${values.role}". Roles: ${roles.join(", ")}.`);
    // Without a password the user gets a sign-in link, signed with the server's secret.
    const problem = values.password ? null : authSecretProblem(env());
    if (problem) fail(problem);
  }
  if (command === "create-api-key") {
    if (!values.name) fail("create-api-key needs --name NAME.");
    // The mode is never a default: a test key in production, or a live key by accident, both cost.
    if (values.live === values.test) fail(`create-api-key needs exactly one of --test (a tk_test_ key) or --live (a tk_live_ key).\n\n${usage}`);
  }
  if (!["migrate", "seed", "create-user", "create-api-key", "settings", "set", "bill-due", "rebuild-mrr"].includes(command)) fail(`Unknown command "${command}".\n\n${usage}`);
  const limit = values.limit === undefined ? 100_000 : Number(values.limit);
  if (command === "bill-due" && !(Number.isInteger(limit) && limit > 0)) fail("bill-due --limit needs a whole number above 0.");
  const positional = rest.filter((a) => !a.startsWith("--"));
  if (command === "set" && (positional.length < 2 || !(positional[0]! in settingDefinitions))) {
    fail(`set needs a known KEY and a JSON value. Keys: ${Object.keys(settingDefinitions).join(", ")}.`);
  }
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
      console.log(`Created ${user.role} ${user.email} (${user.id}).`);
      if (!values.password) {
        // No password and, on a fresh install, maybe no email either: the operator gets a way in.
        const link = await issueSignInLink(db, { email: user.email, callbackPath: user.role === "subscriber" ? "/" : "/admin", now: ctx.now });
        console.log(`No password set. One-time sign-in link for ${user.email} (works once, until ${link.expires.toISOString()}; whoever opens it is signed in as them):\n\n  ${link.url}\n\nLater they ask for a link on the sign-in page.`);
      }
      break;
    }
    case "settings": {
      for (const key of Object.keys(settingDefinitions) as SettingKey[]) {
        console.log(`${key} = ${JSON.stringify(await getSetting(db, key))}\n    ${settingDefinitions[key].description}`);
      }
      break;
    }
    case "set": {
      const [key, raw] = rest.filter((a) => !a.startsWith("--")) as [SettingKey, string];
      let value: unknown;
      try {
        value = JSON.parse(raw);
      } catch {
        fail(`The value must be JSON, e.g. "[1,3,7,14]".`);
      }
      console.log(`${key} = ${JSON.stringify(await setSetting(ctx, key, value))}`);
      break;
    }
    case "bill-due": {
      const result = await runDueSubscriptions(db, ctx.now, limit);
      console.log(`Billed ${result.processed} subscription${result.processed === 1 ? "" : "s"} due by ${ctx.now.toISOString()}: ${result.steps} steps, ${result.batched} renewals in batches.`);
      for (const [reason, n] of Object.entries(result.deferred)) console.log(`  ${n} one by one: ${reason}`);
      for (const f of result.failed) console.log(`  failed: ${f.subscription}: ${f.error}`);
      if (result.failed.length > 0) process.exitCode = 1;
      break;
    }
    case "rebuild-mrr": {
      const started = performance.now();
      const rows = await rebuildMrr(db);
      console.log(`MRR rebuilt: ${rows} movement${rows === 1 ? "" : "s"} in ${Math.round(performance.now() - started)} ms.`);
      break;
    }
    case "create-api-key": {
      const key = await createApiKey(db, { name: values.name!, livemode: values.live === true, createdBy: "cli" });
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
