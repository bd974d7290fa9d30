"use server";

import { headers } from "next/headers";
import { redirect, unstable_rethrow } from "next/navigation";
import { getDb } from "@/db/client";
import type { ActionState } from "@/lib/actions/validated-action";
import { assertSameOrigin } from "@/lib/auth/origin";
import { AppError } from "@/lib/errors";
import { nudgeJob } from "@/lib/jobs/local-runner";
import { confirmAuthenticatedPayment } from "@/lib/services/payments/sca/confirm-payment";
import { confirmPath, verifyConfirmToken } from "@/lib/services/payments/sca/confirm-token";
import { errorField, log } from "@/lib/observability/logger";

/**
 * The customer confirms a payment their bank asked them to authenticate. The link's token is the
 * only credential (no session: the email may be opened anywhere), so it is verified again here,
 * and the request must come from our own page. Then the page is shown again with the outcome.
 */
export async function confirmPaymentAction(token: string, _previous: ActionState): Promise<ActionState> {
  try {
    assertSameOrigin(await headers());
    const check = verifyConfirmToken(token, new Date());
    if (!check.ok) {
      return { error: check.reason === "expired" ? "This payment link has expired. Sign in to your billing portal to pay the invoice." : "This payment link is not valid." };
    }
    const state = await confirmAuthenticatedPayment(
      { db: await getDb(), actor: { type: "system", id: "payment-confirm-link" }, now: new Date() },
      check.paymentId,
    );
    nudgeJob("outbox.dispatch");
    if (state === "action_required") return { error: "Your bank has not confirmed the payment yet. Please try again." };
  } catch (error) {
    unstable_rethrow(error);
    if (error instanceof AppError) return { error: error.userMessage };
    log.error({ ...errorField(error) }, "confirming a payment failed");
    return { error: "Something went wrong on our side. Nothing was charged; please try again." };
  }
  redirect(confirmPath(token));
}
