import { z } from "zod";

export const timestamp = z.string().meta({ description: "ISO 8601 UTC time", example: "2026-11-21T05:00:00.000Z" });
export const iso = (d: Date) => d.toISOString();
export const isoOrNull = (d: Date | null | undefined) => (d ? d.toISOString() : null);
export const metadataOut = z.record(z.string(), z.string());

/** The items of a batch request that were refused, each with its position in the request's `items` array. */
export const batchRejections = (items: string) =>
  z.array(
    z.object({
      index: z.number().int().meta({ description: `The item's position in \`${items}\`.` }),
      code: z.string(),
      param: z.string().optional(),
      detail: z.string(),
    }),
  );
