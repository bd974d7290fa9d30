"use client";

import { useRouter } from "next/navigation";
import { useEffect, useRef, useState, useTransition, type ReactNode } from "react";
import { Input, Spinner, cn } from "@/components/ui";

export interface PlanOption {
  priceId: string;
  name: string;
  intervalKey: string;
  amount: string;
  per: string;
  /** Per-seat plans take a quantity; its label ("seat"), else null. */
  unit: string | null;
  isCurrent: boolean;
}

export interface ChangePlanPickerProps {
  options: PlanOption[];
  intervals: { key: string; label: string }[];
  selectedPriceId: string;
  quantity: number;
  /** The preview for the current selection, rendered by the server; dimmed while a new one loads. */
  children: ReactNode;
}

/**
 * Choose plan, interval and seats. Every choice updates the URL, so the server renders the preview
 * from the preview service (nothing is computed here); it works as a plain GET form without script.
 */
export function ChangePlanPicker({ options, intervals, selectedPriceId, quantity, children }: ChangePlanPickerProps) {
  const router = useRouter();
  const [pending, startTransition] = useTransition();
  // The choice shows at once; the server's preview for it follows.
  const [choice, setChoice] = useState(selectedPriceId);
  const selected = options.find((o) => o.priceId === choice) ?? options[0];
  const [interval, setInterval] = useState(selected?.intervalKey ?? intervals[0]?.key ?? "");
  const [seats, setSeats] = useState(String(quantity));
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const shown = options.filter((o) => o.intervalKey === interval);

  useEffect(() => () => (timer.current ? clearTimeout(timer.current) : undefined), []);

  function go(priceId: string, qty: string) {
    setChoice(priceId);
    const params = new URLSearchParams({ price: priceId });
    if (options.find((o) => o.priceId === priceId)?.unit) params.set("quantity", qty);
    startTransition(() => router.replace(`/subscription/change?${params}`, { scroll: false }));
  }

  return (
    <div className="grid gap-6 md:grid-cols-[1fr_1.1fr]">
      <form method="get" action="/subscription/change" className="space-y-5" aria-label="Choose a plan">
        {intervals.length > 1 ? (
          <div role="group" aria-label="Billing interval" className="inline-flex rounded-lg border border-slate-300 bg-white p-1 shadow-xs">
            {intervals.map((option) => (
              <button
                key={option.key}
                type="button"
                aria-pressed={option.key === interval}
                onClick={() => setInterval(option.key)}
                className={cn(
                  "h-8 min-w-24 rounded-md px-3 text-sm font-medium transition-colors",
                  option.key === interval ? "bg-brand-600 text-white shadow-sm" : "text-slate-700 hover:bg-slate-100 hover:text-slate-900",
                )}
              >
                {option.label}
              </button>
            ))}
          </div>
        ) : null}
        <fieldset>
          <legend className="mb-2 text-[13px] font-medium text-slate-800">Plan</legend>
          <div className="space-y-2">
            {shown.map((option) => (
              <label
                key={option.priceId}
                className="flex cursor-pointer items-center gap-3 rounded-lg border border-slate-200 bg-white px-4 py-3 text-sm shadow-xs transition-colors hover:border-slate-300 has-checked:border-brand-500 has-checked:ring-1 has-checked:ring-brand-500"
              >
                <input
                  type="radio"
                  name="price"
                  value={option.priceId}
                  checked={option.priceId === selected?.priceId}
                  onChange={() => go(option.priceId, seats)}
                  className="size-4 accent-brand-600"
                />
                <span className="min-w-0 flex-1">
                  <span className="block font-medium text-slate-900">
                    {option.name}
                    {option.isCurrent ? <span className="ml-2 text-xs font-medium text-success-800">Current</span> : null}
                  </span>
                  <span className="block text-slate-600">
                    {option.amount}
                    {option.per}
                  </span>
                </span>
              </label>
            ))}
          </div>
        </fieldset>
        {selected?.unit ? (
          <Input
            label={`Number of ${selected.unit}s`}
            name="quantity"
            type="number"
            inputMode="numeric"
            min={1}
            max={10000}
            step={1}
            value={seats}
            onChange={(e) => {
              const value = e.target.value;
              setSeats(value);
              if (timer.current) clearTimeout(timer.current);
              if (/^\d+$/.test(value) && Number(value) >= 1) timer.current = setTimeout(() => go(selected.priceId, value), 400);
            }}
            hint={`You pay for each ${selected.unit}.`}
            wrapperClassName="max-w-48"
          />
        ) : null}
        <noscript>
          <button type="submit" className="rounded-md border border-slate-300 px-3 py-1.5 text-sm">
            Update preview
          </button>
        </noscript>
      </form>
      <div className="relative md:sticky md:top-6 md:self-start" aria-busy={pending}>
        <div className={cn("transition-opacity", pending && "opacity-50")}>{children}</div>
        <p aria-live="polite" className={cn("absolute top-3 right-4 flex items-center gap-1.5 text-xs text-slate-600", !pending && "sr-only")}>
          {pending ? (
            <>
              <Spinner size="sm" /> Updating preview…
            </>
          ) : null}
        </p>
      </div>
    </div>
  );
}
