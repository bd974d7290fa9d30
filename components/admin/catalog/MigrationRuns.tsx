import type { PriceRow } from "@/db/queries/catalog";
import type { PriceMigrationRunRow } from "@/db/queries/catalog-admin";
import { Badge, StatusBadge, Table, TBody, TD, TEmpty, TH, THead, TR } from "@/components/ui";
import type { Formatter } from "@/lib/format";

/** The history of bulk moves on one plan. */
export function MigrationRuns({ runs, versions, fmt }: { runs: (PriceMigrationRunRow & { actorEmail: string | null })[]; versions: PriceRow[]; fmt: Formatter }) {
  const version = (id: string) => versions.find((v) => v.id === id)?.version;
  return (
    <Table bare caption="Price migration runs">
      <THead>
        <TR>
          <TH>Run</TH>
          <TH>Move</TH>
          <TH numeric>Moved</TH>
          <TH numeric className="hidden sm:table-cell">Skipped</TH>
          <TH numeric>MRR change</TH>
          <TH className="hidden sm:table-cell">By</TH>
          <TH className="hidden sm:table-cell">Started</TH>
          <TH>Status</TH>
        </TR>
      </THead>
      <TBody>
        {runs.length === 0 ? (
          <TEmpty colSpan={8}>No migrations yet.</TEmpty>
        ) : (
          runs.map((run) => {
            const delta = run.mrrAfter - run.mrrBefore;
            return (
              <TR key={run.id}>
                <TD className="font-mono text-xs">#{run.id}</TD>
                <TD>
                  {run.currency.toUpperCase()} v{version(run.fromPriceId)} → v{version(run.toPriceId)}
                </TD>
                <TD numeric>{run.subscriptionsMoved}</TD>
                <TD numeric muted={run.subscriptionsSkipped === 0} className="hidden sm:table-cell">
                  {run.subscriptionsSkipped}
                </TD>
                <TD numeric>
                  {delta < 0 ? "−" : delta > 0 ? "+" : ""}
                  {fmt.money(Math.abs(delta), run.currency)}
                </TD>
                <TD muted className="hidden sm:table-cell">
                  {run.actorEmail ?? run.actorId}
                </TD>
                <TD muted className="hidden sm:table-cell">
                  {fmt.dateTime(run.startedAt)}
                </TD>
                <TD>
                  {run.status === "completed" ? (
                    <Badge tone="success" dot>
                      Completed
                    </Badge>
                  ) : (
                    <StatusBadge status={run.status === "failed" ? "failed" : "open"}>{run.status === "failed" ? "Failed" : "Running"}</StatusBadge>
                  )}
                </TD>
              </TR>
            );
          })
        )}
      </TBody>
    </Table>
  );
}
