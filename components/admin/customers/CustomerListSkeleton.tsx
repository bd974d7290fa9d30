import { Card } from "@/components/ui";

const bar = "animate-pulse rounded bg-slate-200/80";

/** The list's shape while its first page loads: same boxes and row heights, so nothing jumps when it arrives. */
export function CustomerListSkeleton({ rows = 10 }: { rows?: number }) {
  return (
    <div className="space-y-4" aria-busy="true">
      <span role="status" className="sr-only">
        Loading customers…
      </span>
      <div className="grid grid-cols-2 gap-3 sm:grid-cols-3 lg:grid-cols-5 xl:grid-cols-7" aria-hidden="true">
        <div className="col-span-2 flex flex-col gap-1.5 sm:col-span-3 lg:col-span-5 xl:col-span-2">
          <div className={`${bar} h-4 w-14`} />
          <div className="h-9 rounded-md border border-slate-200 bg-white" />
        </div>
        {Array.from({ length: 5 }, (_, i) => (
          <div key={i} className="flex flex-col gap-1.5">
            <div className={`${bar} h-4 w-20`} />
            <div className="h-9 rounded-md border border-slate-200 bg-white" />
          </div>
        ))}
      </div>
      <Card className="overflow-hidden" aria-hidden="true">
        <div className="flex min-h-12 items-center border-b border-slate-200 px-4 py-2.5">
          <div className={`${bar} h-4 w-64 max-w-full`} />
        </div>
        <div className="h-9 border-b border-slate-200 bg-slate-50" />
        <div className="divide-y divide-slate-100">
          {Array.from({ length: rows }, (_, i) => (
            <div key={i} className="flex h-[57px] items-center gap-6 px-4">
              <div className="flex w-56 shrink-0 flex-col gap-1.5">
                <div className={`${bar} h-3.5 w-36`} />
                <div className={`${bar} h-3 w-48`} />
              </div>
              <div className={`${bar} h-5 w-16 rounded-full`} />
              <div className={`${bar} hidden h-3.5 w-20 sm:block`} />
              <div className={`${bar} ml-auto hidden h-3.5 w-24 md:block`} />
            </div>
          ))}
        </div>
        <div className="h-[53px] border-t border-slate-200 bg-slate-50" />
      </Card>
    </div>
  );
}
