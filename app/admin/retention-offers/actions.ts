"use server";

import { redirect } from "next/navigation";
import { z } from "zod";
import { cancellationReasons } from "@/lib/billing/retention/vocabulary";
import { validatedAction } from "@/lib/actions/validated-action";
import { offerTermsSchema, updateRetentionOffer } from "@/lib/services/retention/offers";
import { reasonLabels } from "@/lib/billing/retention/offer-policy";

const formSchema = z.object({
  reason: z.enum(cancellationReasons),
  kind: z.enum(["discount", "pause", "cheaper_plan", "contact_support", "none"], { error: "Choose an offer." }),
  percent: z.string().optional(),
  months: z.string().optional(),
  maxMonths: z.string().optional(),
  planId: z.string().optional(),
  message: z.string().optional(),
  url: z.string().optional(),
  enabled: z.string().optional(),
});

/** "" → NaN, so an empty number field fails the terms schema with its own message. */
const num = (value: string | undefined) => (value === undefined || value.trim() === "" ? Number.NaN : Number(value));

/** The form's flat fields → the offer's terms, validated by the same schema the service uses. */
function termsFrom(input: z.infer<typeof formSchema>): unknown {
  switch (input.kind) {
    case "discount":
      return { kind: "discount", percent: num(input.percent), months: num(input.months) };
    case "pause":
      return { kind: "pause", maxMonths: num(input.maxMonths) };
    case "cheaper_plan":
      return { kind: "cheaper_plan", planId: input.planId?.trim() || null };
    case "contact_support":
      return { kind: "contact_support", message: input.message ?? "", url: input.url?.trim() || null };
    case "none":
      return { kind: "none" };
  }
}

export const saveRetentionOfferAction = validatedAction("catalog.write", formSchema, async (input, _user, ctx) => {
  const parsed = offerTermsSchema.safeParse(termsFrom(input));
  if (!parsed.success) {
    const fieldErrors: Record<string, string> = {};
    for (const issue of parsed.error.issues) fieldErrors[String(issue.path[0] ?? "kind")] ??= issue.message;
    return { error: "Please check the highlighted fields.", fieldErrors };
  }
  await updateRetentionOffer(ctx, input.reason, { offer: parsed.data, enabled: input.enabled === "on" });
  redirect(`/admin/retention-offers?notice=${encodeURIComponent(`Saved the offer for “${reasonLabels[input.reason]}”.`)}`);
});
