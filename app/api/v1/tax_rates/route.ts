import { apiRoute } from "@/lib/api/handler";
import { createTaxRateOp, listTaxRatesOp } from "@/lib/api/operations/tax";
import { toList } from "@/lib/api/pagination";
import { toTaxRate } from "@/lib/api/resources/tax";
import { createTaxRate, listTaxRates, rateRule } from "@/lib/services/tax/tax-settings";

export const dynamic = "force-dynamic";

export const POST = apiRoute(createTaxRateOp, async ({ db, actor, now, requestId, body }) =>
  toTaxRate(
    rateRule(
      await createTaxRate(
        { db, actor, now, requestId },
        { country: body.country, region: body.region, kind: body.kind, percentage: body.percentage, effectiveFrom: body.effective_from, effectiveTo: body.effective_to, saasTaxable: body.saas_taxable },
      ),
    ),
  ),
);

export const GET = apiRoute(listTaxRatesOp, async ({ db, query, req }) => {
  const rates = (await listTaxRates(db, { country: query.country })).map(toTaxRate);
  return toList(rates, rates.length, new URL(req.url).pathname);
});
