import { ConfirmAction } from "@/components/admin/ConfirmAction";
import { ConfirmedForm } from "@/components/admin/catalog/ConfirmedForm";
import { Card, CardHeader, DescriptionList } from "@/components/ui";
import type { Formatter } from "@/lib/format";
import type { CostProviderRow } from "@/db/queries/api-costs";
import type { ActionState } from "@/lib/actions/validated-action";

type Action = (previous: ActionState, formData: FormData) => Promise<ActionState>;

/**
 * A provider's pass-through rebilling (decision 031): the sum meter its attributed costs feed, the
 * markup and the currency, or "Not rebilled". Staff who may write switch it on, change it (after a
 * confirmation that says what it does) or off; the service refuses an unknown or non-sum meter,
 * next to the field.
 */
export function RebillCard({
  provider,
  sumMeters,
  canWrite,
  updateAction,
  stopAction,
  fmt,
}: {
  provider: CostProviderRow;
  /** Codes of the mode's current sum meters, for the hint. */
  sumMeters: readonly string[];
  canWrite: boolean;
  updateAction: Action;
  stopAction: Action;
  fmt: Formatter;
}) {
  const on = provider.rebillMeter !== null;
  return (
    <Card data-testid="rebill">
      <CardHeader
        title="Pass-through rebilling"
        description="When on, each cost attributed to a customer also feeds a sum meter with the cost plus a markup, billed through the customer's metered price. Applies to costs recorded from then on."
        actions={
          canWrite && on ? (
            <ConfirmAction
              action={stopAction}
              fields={{ id: provider.id }}
              triggerLabel="Stop rebilling"
              title={`Stop rebilling ${provider.name}?`}
              body="Costs recorded from now on are tracked only; usage already fed to the meter stays and is billed as usual."
              confirmLabel="Stop rebilling"
              tone="danger"
            />
          ) : undefined
        }
      />
      <div className="px-5 py-2">
        <DescriptionList
          items={
            on
              ? [
                  { label: "Meter", value: <span className="font-mono text-[13px] break-all">{provider.rebillMeter}</span> },
                  { label: "Markup", value: `${(provider.rebillMarkupBps ?? 0) / 100}%` },
                  { label: "Currency", value: (provider.rebillCurrency ?? "").toUpperCase() },
                ]
              : [{ label: "Rebilling", value: "Not rebilled: costs are tracked only." }]
          }
        />
      </div>
      {canWrite ? (
        <ConfirmedForm reader={fmt.reader}
          action={updateAction}
          hidden={{ id: provider.id }}
          submitLabel={on ? "Save rebilling" : "Switch rebilling on"}
          confirmTitle={on ? `Change rebilling of ${provider.name}?` : `Rebill ${provider.name}?`}
          confirmLabel={on ? "Save rebilling" : "Switch on"}
          summary="rebill"
          context={{ providerName: provider.name }}
          fields={[
            {
              kind: "text",
              name: "meter",
              label: "Meter",
              defaultValue: provider.rebillMeter ?? "",
              hint: sumMeters.length > 0 ? `A sum meter's code: ${sumMeters.slice(0, 8).join(", ")}${sumMeters.length > 8 ? ", …" : ""}` : "A sum meter's code; create one under Catalog → Meters.",
              placeholder: "api_cost_passthrough",
            },
            { kind: "text", name: "markup_percent", label: "Markup (%)", defaultValue: provider.rebillMarkupBps === null ? "0" : String(provider.rebillMarkupBps / 100), hint: "e.g. 20 for cost + 20%." },
            { kind: "text", name: "currency", label: "Rebill currency", defaultValue: (provider.rebillCurrency ?? "aud").toUpperCase(), hint: "The metered price's currency." },
          ]}
        />
      ) : null}
    </Card>
  );
}
