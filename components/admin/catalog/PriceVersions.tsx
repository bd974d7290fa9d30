import type { PlanRow } from "@/db/queries/catalog";
import type { PriceVersionStats } from "@/db/queries/catalog-admin";
import { Badge, ButtonLink, Table, TBody, TD, TH, THead, TR } from "@/components/ui";
import { perInterval, taxLabel } from "./terms";
import type { Formatter } from "@/lib/format";

/** Every version of a plan's price, grouped by currency, newest first, with who is on each. */
export function PriceVersions({ plan, versions, canWrite, migrating, fmt }: { plan: PlanRow; versions: PriceVersionStats[]; canWrite: boolean; migrating?: string; fmt: Formatter }) {
  const currencies = [...new Set(versions.map((v) => v.price.currency))];
  return (
    <Table bare caption={`Price versions of ${plan.name}`}>
      <THead>
        <TR>
          <TH>Version</TH>
          <TH numeric>Price</TH>
          <TH className="hidden md:table-cell">Tax</TH>
          <TH className="hidden md:table-cell">Created</TH>
          <TH numeric>
            <span className="sm:hidden">Subs.</span>
            <span className="hidden sm:inline">Subscribers</span>
          </TH>
          <TH className="hidden sm:table-cell">At next renewal</TH>
          {canWrite ? (
            <TH align="right" className="relative">
              <span className="sr-only">Actions</span>
            </TH>
          ) : null}
        </TR>
      </THead>
      {currencies.map((currency) => {
        const rows = versions.filter((v) => v.price.currency === currency);
        return (
          <TBody key={currency}>
            <TR className="bg-slate-50/60">
              <TH scope="colgroup" colSpan={canWrite ? 7 : 6} className="h-8 text-[11px] tracking-wider text-slate-600 uppercase">
                {currency.toUpperCase()}
              </TH>
            </TR>
            {rows.map(({ price, subscribers, leaving, arriving }) => {
              const movable = subscribers - leaving;
              const canMigrate = canWrite && movable > 0 && rows.length > 1 && price.usageType === "licensed";
              return (
                <TR key={price.id} className={migrating === price.id ? "bg-brand-50" : undefined}>
                  <TD>
                    <span className="font-medium">v{price.version}</span>{" "}
                    {price.active ? (
                      <Badge tone="success" dot>
                        Current
                      </Badge>
                    ) : (
                      <span className="hidden sm:inline">
                        <Badge>Grandfathered</Badge>
                      </span>
                    )}
                  </TD>
                  <TD numeric>
                    {price.unitAmount !== null ? fmt.money(price.unitAmount, price.currency) : price.billingScheme === "tiered" ? "Tiered" : `${price.unitAmountDecimal} minor units`}
                    <span className="hidden text-slate-500 sm:inline">{perInterval(plan.interval, plan.intervalCount)}</span>
                  </TD>
                  <TD muted className="hidden md:table-cell">
                    {taxLabel(price.taxBehavior, price.currency)}
                  </TD>
                  <TD muted className="hidden md:table-cell">
                    {fmt.date(price.createdAt)}
                  </TD>
                  <TD numeric className="font-medium">
                    {subscribers}
                  </TD>
                  <TD muted wrap className="hidden min-w-36 sm:table-cell">
                    {leaving === 0 && arriving === 0 ? "No changes" : [leaving ? `${leaving} leaving` : null, arriving ? `${arriving} arriving` : null].filter(Boolean).join(" · ")}
                  </TD>
                  {canWrite ? (
                    <TD align="right" className="relative">
                      {canMigrate ? (
                        <ButtonLink href={`/admin/catalog/plans/${plan.id}?migrate=${price.id}#migrate`} variant="secondary" size="sm">
                          Migrate…<span className="sr-only"> subscribers from {currency.toUpperCase()} version {price.version}</span>
                        </ButtonLink>
                      ) : null}
                    </TD>
                  ) : null}
                </TR>
              );
            })}
          </TBody>
        );
      })}
    </Table>
  );
}
