import { cn } from "@/components/ui/cn";

const STEPS = ["Reason", "Before you go", "Confirm"] as const;

/** "Step 2 of 3" with the three steps named; the current one is marked for screen readers. */
export function CancelSteps({ current }: { current: 1 | 2 | 3 }) {
  return (
    <nav aria-label="Cancellation progress" className="mb-6">
      <p className="mb-2 text-[13px] font-medium text-slate-600">
        Step {current} of {STEPS.length}
      </p>
      <ol className="grid grid-cols-3 gap-2">
        {STEPS.map((label, index) => {
          const step = index + 1;
          const state = step < current ? "done" : step === current ? "current" : "todo";
          return (
            <li key={label} aria-current={state === "current" ? "step" : undefined} className="min-w-0">
              <span
                aria-hidden="true"
                className={cn("block h-1.5 rounded-full", state === "todo" ? "bg-slate-200" : state === "current" ? "bg-brand-600" : "bg-brand-300")}
              />
              <span className={cn("mt-1.5 block truncate text-xs", state === "current" ? "font-medium text-slate-900" : "text-slate-600")}>
                <span className="sr-only">{state === "done" ? "Completed: " : state === "todo" ? "Next: " : "Current: "}</span>
                {label}
              </span>
            </li>
          );
        })}
      </ol>
    </nav>
  );
}
