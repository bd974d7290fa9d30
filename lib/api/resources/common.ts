import { z } from "zod";

export const timestamp = z.string().meta({ description: "ISO 8601 UTC time", example: "2026-11-21T05:00:00.000Z" });
export const iso = (d: Date) => d.toISOString();
export const isoOrNull = (d: Date | null | undefined) => (d ? d.toISOString() : null);
export const metadataOut = z.record(z.string(), z.string());
