import { Badge } from "@/components/ui";

/** A meter version is active (its code's current definition) or replaced by a newer one; live ones say so. */
export function MeterStatus({ active, livemode }: { active: boolean; livemode: boolean }) {
  return (
    <span className="inline-flex flex-wrap gap-1">
      {active ? (
        <Badge tone="success" dot>
          Active
        </Badge>
      ) : (
        <Badge>Replaced</Badge>
      )}
      {livemode ? <Badge tone="info">Live</Badge> : null}
    </span>
  );
}
