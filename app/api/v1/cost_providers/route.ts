import { apiRoute } from "@/lib/api/handler";
import { createCostProviderOp, listCostProvidersOp, rateInput, rebillInput } from "@/lib/api/operations/api-costs";
import { toList } from "@/lib/api/pagination";
import { toCostProvider } from "@/lib/api/resources/api-cost";
import { createCostProvider, listCostProviders } from "@/lib/services/api-costs/providers";

export const dynamic = "force-dynamic";

export const POST = apiRoute(createCostProviderOp, async ({ db, actor, now, requestId, body }) =>
  toCostProvider(await createCostProvider({ db, actor, now, requestId }, { code: body.code, name: body.name, regions: body.regions, quota: body.quota, rates: body.rates?.map(rateInput), rebill: rebillInput(body.rebill) })),
);

export const GET = apiRoute(listCostProvidersOp, async ({ db, actor, now, req }) => {
  const providers = await listCostProviders({ db, actor, now });
  return toList(providers.map(toCostProvider), providers.length, new URL(req.url).pathname);
});
