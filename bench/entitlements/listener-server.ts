// The entitlements listener alone (`--via standalone`): createEntitlementsServer on PORT over
// DATABASE_URL, the same code the Next server starts when ENTITLEMENTS_PORT is set, for a machine
// without a production build. Started by run.ts.
import { getDb } from "@/db/client";
import { createEntitlementsServer } from "@/lib/api/entitlements-listener";
import { entitlementsCacheStats } from "@/lib/services/customers/entitlements-cache";

await getDb();
const server = createEntitlementsServer();
server.listen(Number(process.env.PORT), "127.0.0.1", () => console.log("listener ready"));
process.on("SIGTERM", () => {
  // The cache's hits and misses over the whole run, for run.ts to print.
  console.log(`cache ${JSON.stringify(entitlementsCacheStats())}`);
  server.close(() => process.exit(0));
  server.closeAllConnections();
});
