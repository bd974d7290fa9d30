import { apiRoute } from "@/lib/api/handler";
import { rateInput, rebillInput, retrieveCostProviderOp, updateCostProviderOp } from "@/lib/api/operations/api-costs";
import { toCostProvider } from "@/lib/api/resources/api-cost";
import { retrieveCostProvider, updateCostProvider } from "@/lib/services/api-costs/providers";

export const dynamic = "force-dynamic";

export const GET = apiRoute(retrieveCostProviderOp, async ({ db, actor, now, params }) => toCostProvider(await retrieveCostProvider({ db, actor, now }, params.id)));

export const PATCH = apiRoute(updateCostProviderOp, async ({ db, actor, now, requestId, params, body }) =>
  toCostProvider(
    await updateCostProvider({ db, actor, now, requestId }, params.id, { name: body.name, regions: body.regions, quota: body.quota, rebill: rebillInput(body.rebill), rate: body.rate === undefined ? undefined : rateInput(body.rate) }),
  ),
);
