import { FieldsForm } from "@/components/admin/FieldsForm";
import { FormDisclosure } from "@/components/admin/FormDisclosure";
import { Card, CardBody, CardHeader, EmptyState, Table, TBody, TD, TH, THead, TR } from "@/components/ui";
import type { FxRateRow } from "@/db/queries/api-costs";
import type { ActionState } from "@/lib/actions/validated-action";

/**
 * The exchange rates analytics converts with (decision 032: each day at the latest rate on or before
 * it), newest first, and — for those who may — a form that records a pair's rate for a day (the same
 * day again replaces it; audited as `fx_rate.recorded`, like POST /api/v1/fx_rates).
 */
export function FxRatesCard({
  rates,
  action,
  today,
}: {
  rates: FxRateRow[];
  /** Absent: the viewer may not record rates. */
  action?: (previous: ActionState, formData: FormData) => Promise<ActionState>;
  today: string;
}) {
  return (
    <Card aria-label="Exchange rates">
      <CardHeader title="Exchange rates" description="1 base = rate quote. A day converts at the latest rate on or before it; the other direction divides by it. The 20 most recent are listed." />
      <CardBody>
        {rates.length === 0 ? (
          <EmptyState title="No exchange rates yet" description="Amounts in other currencies cannot be shown in the reporting currency until a rate is recorded." />
        ) : (
          <Table caption="Exchange rates, newest first" bare>
            <THead>
              <TR>
                <TH>Date</TH>
                <TH>Pair</TH>
                <TH numeric>Rate</TH>
              </TR>
            </THead>
            <TBody>
              {rates.map((r) => (
                <TR key={`${r.base}-${r.quote}-${r.date}`}>
                  <TD>{r.date}</TD>
                  <TD>
                    1 {r.base.toUpperCase()} → {r.quote.toUpperCase()}
                  </TD>
                  <TD numeric>{r.rate}</TD>
                </TR>
              ))}
            </TBody>
          </Table>
        )}
      </CardBody>
      {action ? (
        <FormDisclosure summary="Record a rate" className="mx-4 mb-4 sm:mx-6">
          <FieldsForm
            action={action}
            submitLabel="Record rate"
            fields={[
              { kind: "text", name: "base", label: "Base currency", defaultValue: "usd", hint: "Three letters, e.g. usd.", required: true },
              { kind: "text", name: "quote", label: "Quote currency", defaultValue: "aud", hint: "The reporting currency, e.g. aud.", required: true },
              { kind: "text", name: "rate", label: "Rate", defaultValue: "", hint: "How many quote units one base unit buys, e.g. 1.5234.", required: true },
              { kind: "text", name: "date", label: "Date (UTC)", defaultValue: today, hint: "YYYY-MM-DD; a rate already recorded for that day is replaced.", required: true },
            ]}
          />
        </FormDisclosure>
      ) : null}
    </Card>
  );
}
