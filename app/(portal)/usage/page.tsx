import { portalFormatter } from "@/lib/portal/formatter";
import type { Metadata } from "next";
import { getDb } from "@/db/client";
import { ButtonLink, Card, CardBody, CardHeader, EmptyState, PageHeader } from "@/components/ui";
import { MeteredUsageCard } from "@/components/portal/usage/MeteredUsage";
import { UsageLimits, type UsageLimit } from "@/components/portal/usage/UsageLimits";
import { actorOf } from "@/lib/auth/session";
import { portalCustomer } from "@/lib/portal/customer";
import { customerMeteredUsage } from "@/lib/services/usage/portal-usage";
import { entitlementsFor } from "@/lib/services/customers/entitlements-cache";

export const metadata: Metadata = { title: "Usage · Tally" };

export default async function UsagePage() {
  const fmt = await portalFormatter();
  const { user, customer } = await portalCustomer();
  const db = await getDb();
  const [items, entitlements] = await Promise.all([customerMeteredUsage({ db, actor: actorOf(user), now: new Date() }, customer.id, await portalFormatter()), entitlementsFor(db, customer.id, customer.livemode)]);
  // The plan's metered features with a limit, as the entitlements check answers them.
  const limits: UsageLimit[] = (entitlements?.features ?? []).flatMap((f) => (f.type === "metered" && f.limit !== null ? [{ feature: f.code, used: f.used ?? 0, limit: f.limit, hard: f.hard }] : []));

  return (
    <div className="space-y-6">
      <PageHeader title="Usage" description="What you've used this billing period and what it will cost. Usage is billed at the end of each period." />
      {items.length === 0 ? (
        <EmptyState
          icon={
            <svg viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth="1.6" aria-hidden="true">
              <path strokeLinecap="round" strokeLinejoin="round" d="M4 20V10m6 10V4m6 16v-7m4 7H2" />
            </svg>
          }
          title="No usage-based charges"
          description="Your subscription doesn't bill by usage. When it does, what you've used this period and what it will cost appear here."
          action={<ButtonLink href="/" variant="secondary">Back to overview</ButtonLink>}
        />
      ) : (
        items.map((item) => <MeteredUsageCard fmt={fmt} key={`${item.subscriptionId}:${item.priceId}`} item={item} timeZone={customer.timezone} />)
      )}
      <Card>
        <CardHeader title="Limits" description="How much of each limit on your plan you've used this period." />
        <CardBody>
          <UsageLimits fmt={fmt} limits={limits} />
        </CardBody>
      </Card>
    </div>
  );
}
