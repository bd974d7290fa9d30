"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { validatedAction } from "@/lib/actions/validated-action";
import { LEAKAGE_RULES } from "@/lib/billing/leakage/rules";
import { runLeakageChecksNow } from "@/lib/services/leakage/run-leakage-checks";

/** Run the six leakage checks now, replacing today's snapshot (audited). */
export const runLeakageChecksAction = validatedAction("leakage.run", z.object({}), async (_input, _user, ctx) => {
  const summary = await runLeakageChecksNow(ctx);
  revalidatePath("/admin/leakage");
  const found = LEAKAGE_RULES.reduce((n, rule) => n + (summary.counts[rule] ?? 0), 0);
  return { ok: true, message: found === 0 ? "Checks finished: nothing found." : `Checks finished: ${found} item${found === 1 ? "" : "s"} found.` };
});
