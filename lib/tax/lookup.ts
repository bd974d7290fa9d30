/**
 * Registry lookups of a tax id (EU VIES, the Australian Business Register): adapters behind one
 * interface, off by default. Tally never calls a registry unless one is configured, so invoices, tests
 * and an offline install work the same: a number's format and check digits (lib/tax/tax-id.ts) are
 * what is known, and `verified` stays false. A configured adapter answers `valid`, `invalid`, or
 * `unavailable` (a registry that is down or slow never blocks a customer; the number stays unverified).
 */

export type TaxIdLookupResult = { status: "valid"; name: string | null } | { status: "invalid" } | { status: "unavailable"; reason: string };

export interface TaxIdLookup {
  /** Which tax id types it can look up (Stripe's names: eu_vat, au_abn). */
  readonly types: readonly string[];
  lookup(input: { type: string; value: string }): Promise<TaxIdLookupResult>;
}

/** The default: no registry configured. Answers `unavailable` without touching the network. */
export const disabledTaxIdLookup: TaxIdLookup = {
  types: [],
  async lookup() {
    return { status: "unavailable", reason: "No tax id registry lookup is configured." };
  },
};

/** A lookup from adapters, each answering for its types; any other type is `unavailable`. */
export function combineLookups(adapters: readonly TaxIdLookup[]): TaxIdLookup {
  if (adapters.length === 0) return disabledTaxIdLookup;
  return {
    types: adapters.flatMap((a) => a.types),
    async lookup(input) {
      const adapter = adapters.find((a) => a.types.includes(input.type));
      return adapter ? adapter.lookup(input) : { status: "unavailable", reason: `No registry lookup for ${input.type}.` };
    },
  };
}

/**
 * A VIES adapter over an HTTP transport the caller supplies (the transport is where the network is;
 * none ships enabled). The transport answers VIES's `checkVatNumber` JSON: { valid, name }.
 */
export function viesLookup(transport: (countryCode: string, vatNumber: string) => Promise<{ valid: boolean; name?: string | null }>): TaxIdLookup {
  return {
    types: ["eu_vat"],
    async lookup({ value }) {
      const country = value.slice(0, 2).toUpperCase();
      try {
        const answer = await transport(country, value.slice(2));
        return answer.valid ? { status: "valid", name: answer.name?.trim() || null } : { status: "invalid" };
      } catch (error) {
        return { status: "unavailable", reason: `VIES did not answer: ${(error as Error).message}` };
      }
    },
  };
}

/** An ABN Lookup adapter over a transport the caller supplies: { abnStatus: "Active" | …, entityName }. */
export function abnLookup(transport: (abn: string) => Promise<{ abnStatus: string; entityName?: string | null } | null>): TaxIdLookup {
  return {
    types: ["au_abn"],
    async lookup({ value }) {
      try {
        const answer = await transport(value);
        if (!answer) return { status: "invalid" };
        return answer.abnStatus === "Active" ? { status: "valid", name: answer.entityName?.trim() || null } : { status: "invalid" };
      } catch (error) {
        return { status: "unavailable", reason: `ABN Lookup did not answer: ${(error as Error).message}` };
      }
    },
  };
}
