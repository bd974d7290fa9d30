import { defaultTaxSettings, taxEngine } from "./engine";

/**
 * A new install in Australia: registered for GST since always, at 10% (since 1 July 2000), on
 * supplies to customers in Australia. The engine with its default settings (lib/tax/engine.ts).
 */
export const australianGst = taxEngine(defaultTaxSettings("AU"));
