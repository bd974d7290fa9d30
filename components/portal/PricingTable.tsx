"use client";

import { useState } from "react";
import { Badge, ButtonLink, Card, cn } from "@/components/ui";

export interface PricingCard {
  id: string;
  name: string;
  description: string | null;
  features: string[];
  intervalKey: string;
  amount: string;
  per: string;
  taxNote: string;
  trial: string | null;
  isCurrent: boolean;
  action: { href: string; label: string } | null;
  note: string | null;
}

export interface PricingTableProps {
  cards: PricingCard[];
  /** Interval tabs in display order; the toggle shows only when there are two or more. */
  intervals: { key: string; label: string }[];
  initialInterval: string;
}

/** Plan cards with a monthly/annual toggle (a group of pressed buttons: Tab to reach, Enter or Space to switch). */
export function PricingTable({ cards, intervals, initialInterval }: PricingTableProps) {
  const [interval, setInterval] = useState(initialInterval);
  const shown = intervals.length > 1 ? cards.filter((c) => c.intervalKey === interval) : cards;

  return (
    <div className="space-y-6">
      {intervals.length > 1 ? (
        <div role="group" aria-label="Billing interval" className="inline-flex rounded-lg border border-slate-300 bg-white p-1 shadow-xs">
          {intervals.map((option) => {
            const pressed = option.key === interval;
            return (
              <button
                key={option.key}
                type="button"
                aria-pressed={pressed}
                onClick={() => setInterval(option.key)}
                className={cn(
                  "h-8 min-w-24 rounded-md px-3 text-sm font-medium transition-colors",
                  pressed ? "bg-brand-600 text-white shadow-sm" : "text-slate-700 hover:bg-slate-100 hover:text-slate-900",
                )}
              >
                {option.label}
              </button>
            );
          })}
        </div>
      ) : null}
      <ul className="grid gap-4 sm:grid-cols-2 lg:grid-cols-3" aria-label="Plans">
        {shown.map((card) => (
          <li key={card.id} className="flex">
            <Card aria-label={card.name} className={cn("flex w-full flex-col p-5", card.isCurrent && "ring-2 ring-brand-500")}>
              <div className="flex items-start justify-between gap-2">
                <h2 className="text-base font-semibold text-slate-900">{card.name}</h2>
                {card.isCurrent ? <Badge tone="success">Current plan</Badge> : null}
              </div>
              {card.description ? <p className="mt-1 text-sm text-slate-600">{card.description}</p> : null}
              <p className="mt-4">
                <span className="text-3xl font-semibold tracking-tight text-slate-900 tabular-nums">{card.amount}</span>
                <span className="ml-1 text-sm text-slate-600">{card.per}</span>
              </p>
              <p className="text-xs text-slate-600">{card.taxNote}</p>
              {card.trial ? <p className="mt-3 rounded-md bg-brand-50 px-2.5 py-1.5 text-[13px] font-medium text-brand-800">{card.trial}</p> : null}
              <ul className="mt-4 flex-1 space-y-1.5 text-sm text-slate-700">
                {card.features.map((f) => (
                  <li key={f} className="flex gap-2">
                    <span aria-hidden className="text-brand-600">
                      ✓
                    </span>
                    {f}
                  </li>
                ))}
              </ul>
              <div className="mt-5 space-y-2">
                {card.action ? (
                  <ButtonLink href={card.action.href} variant={card.isCurrent ? "secondary" : "primary"} fullWidth aria-label={`${card.action.label}: ${card.name}`}>
                    {card.action.label}
                  </ButtonLink>
                ) : null}
                {card.note ? <p className="text-center text-xs text-slate-600">{card.note}</p> : null}
              </div>
            </Card>
          </li>
        ))}
      </ul>
    </div>
  );
}
