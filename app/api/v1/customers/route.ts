import { customers } from "@/db/schema";
import { customerListWhere } from "@/db/queries/customers";
import { keysetPage } from "@/db/queries/paginate";
import { apiRoute } from "@/lib/api/handler";
import { createCustomerOp, listCustomersOp } from "@/lib/api/operations/customers";
import { toList } from "@/lib/api/pagination";
import { toCustomer } from "@/lib/api/resources/customer";
import { createCustomer } from "@/lib/services/customers/create-customer";

export const dynamic = "force-dynamic";

export const POST = apiRoute(createCustomerOp, async ({ db, actor, now, requestId, body }) => {
  const row = await createCustomer(
    { db, actor, now, requestId },
    {
      email: body.email,
      name: body.name,
      currency: body.currency,
      timezone: body.timezone,
      preferredLocales: body.preferred_locales,
      address: body.address,
      externalId: body.external_id,
      testClockId: body.test_clock,
      metadata: body.metadata,
    },
  );
  return toCustomer(row);
});

export const GET = apiRoute(listCustomersOp, async ({ db, apiKey, query, req }) => {
  const where = customerListWhere(apiKey.livemode, { email: query.email, externalId: query.external_id });
  const { rows, direction } = await keysetPage(db, customers, where, { limit: query.limit, startingAfter: query.starting_after, endingBefore: query.ending_before });
  return toList(rows.map(toCustomer), query.limit, new URL(req.url).pathname, direction);
});
