import { apiRoute } from "@/lib/api/handler";
import { createTaxRegistrationOp, listTaxRegistrationsOp } from "@/lib/api/operations/tax";
import { toList } from "@/lib/api/pagination";
import { toTaxRegistration } from "@/lib/api/resources/tax";
import { createTaxRegistration, listTaxRegistrations } from "@/lib/services/tax/tax-settings";

export const dynamic = "force-dynamic";

export const POST = apiRoute(createTaxRegistrationOp, async ({ db, actor, now, requestId, body }) =>
  toTaxRegistration(await createTaxRegistration({ db, actor, now, requestId }, { country: body.country, region: body.region, scheme: body.scheme, activeFrom: body.active_from })),
);

export const GET = apiRoute(listTaxRegistrationsOp, async ({ db, req }) => {
  const rows = (await listTaxRegistrations(db)).map(toTaxRegistration);
  return toList(rows, rows.length, new URL(req.url).pathname);
});
