"use client";

import { useEffect, useState } from "react";
import { Input, Select, statusLabel } from "@/components/ui";
import type { CustomerListFacets } from "@/db/queries/customer-list";
import { dunningStates, firstPage, subscriptionStatusChoices, type CustomerListParams } from "./list-params";

export interface CustomerFiltersProps {
  params: CustomerListParams;
  facets: CustomerListFacets;
  /** Go to this state; `replace` while typing, so each keystroke is not a history entry. */
  onNavigate: (next: CustomerListParams, mode?: "push" | "replace") => void;
}

const SEARCH_DELAY_MS = 350;

/** The choices, plus the current value when no customer has it any more (so the select never hides an active filter). */
function withCurrent(options: { value: string; label: string }[], current: string | undefined) {
  return current && !options.some((o) => o.value === current) ? [...options, { value: current, label: current }] : options;
}

const dunningLabels: Record<(typeof dunningStates)[number], string> = { active: "Good standing", warning: "Warning", blocked: "Blocked" };

/**
 * Search (debounced; Enter searches at once) and the filter selects. A GET form underneath, so it
 * still works before the script has loaded.
 */
export function CustomerFilters({ params, facets, onNavigate }: CustomerFiltersProps) {
  const [q, setQ] = useState(params.q ?? "");
  const [shownQ, setShownQ] = useState(params.q);
  // The URL changed under us (filters cleared, back button): show its search.
  if (params.q !== shownQ) {
    setShownQ(params.q);
    setQ(params.q ?? "");
  }

  useEffect(() => {
    const term = q.trim();
    if (term === (params.q ?? "")) return;
    const timer = setTimeout(() => onNavigate(firstPage(params, { q: term || undefined }), "replace"), SEARCH_DELAY_MS);
    return () => clearTimeout(timer);
  }, [q, params, onNavigate]);

  const select = (name: keyof CustomerListParams) => ({
    name,
    value: String(params[name] ?? ""),
    onChange: (event: React.ChangeEvent<HTMLSelectElement>) => onNavigate(firstPage(params, { [name]: event.target.value || undefined })),
  });

  return (
    <form
      role="search"
      action="/admin/customers"
      onSubmit={(event) => {
        event.preventDefault();
        onNavigate(firstPage(params, { q: q.trim() || undefined }));
      }}
      className="grid grid-cols-2 gap-3 sm:grid-cols-3 lg:grid-cols-5 xl:grid-cols-7"
    >
      <Input
        label="Search"
        name="q"
        type="search"
        value={q}
        onChange={(event) => setQ(event.target.value)}
        placeholder="Name, email, customer or external id"
        autoComplete="off"
        spellCheck={false}
        maxLength={200}
        wrapperClassName="col-span-2 sm:col-span-3 lg:col-span-5 xl:col-span-2"
        leading={
          <svg viewBox="0 0 20 20" fill="currentColor" aria-hidden="true" className="size-4">
            <path
              fillRule="evenodd"
              d="M9 3.5a5.5 5.5 0 1 0 3.3 9.9l3.15 3.15a.75.75 0 1 0 1.06-1.06l-3.15-3.15A5.5 5.5 0 0 0 9 3.5ZM5 9a4 4 0 1 1 8 0 4 4 0 0 1-8 0Z"
              clipRule="evenodd"
            />
          </svg>
        }
      />
      <Select label="Subscription" {...select("status")} placeholder="All">
        {subscriptionStatusChoices.map((s) => (
          <option key={s} value={s}>
            {statusLabel(s)}
          </option>
        ))}
        <option value="none">No subscription</option>
      </Select>
      <Select
        label="Plan"
        {...select("plan")}
        placeholder="All"
        options={withCurrent(
          facets.plans.map((p) => ({ value: p.id, label: p.name })),
          params.plan,
        )}
      />
      <Select label="Dunning" {...select("dunning")} placeholder="All" options={dunningStates.map((d) => ({ value: d, label: dunningLabels[d] }))} />
      <Select
        label="Country"
        {...select("country")}
        placeholder="All"
        options={withCurrent(
          facets.countries.map((c) => ({ value: c, label: c })),
          params.country,
        )}
      />
      <Select
        label="Currency"
        {...select("currency")}
        placeholder="All"
        options={withCurrent(
          facets.currencies.map((c) => ({ value: c, label: c.toUpperCase() })),
          params.currency,
        )}
      />
    </form>
  );
}
