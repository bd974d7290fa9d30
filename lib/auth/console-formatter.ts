import { headers } from "next/headers";
import { cache } from "react";
import { getDb } from "@/db/client";
import { acceptLanguageTags, formatterFor, type Formatter } from "@/lib/format";
import { businessLocale, staffLocale } from "@/lib/services/readers/formatters";
import { requireUser } from "./session";

/**
 * The console's formatter for the signed-in staff member, made once per request: their locale
 * (profile), else their browser's Accept-Language among the supported ones, else the business's.
 */
export const consoleFormatter = cache(async (): Promise<Formatter> => {
  const user = await requireUser("console.access");
  const acceptLanguage = acceptLanguageTags((await headers()).get("accept-language"));
  return formatterFor({ locale: staffLocale(user, acceptLanguage, await businessLocale(await getDb())) });
});
