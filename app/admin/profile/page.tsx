import type { Metadata } from "next";
import { headers } from "next/headers";
import { getDb } from "@/db/client";
import { FieldsForm } from "@/components/admin/FieldsForm";
import { Card, CardHeader, PageHeader } from "@/components/ui";
import { consoleFormatter } from "@/lib/auth/console-formatter";
import { requirePageUser } from "@/lib/auth/session";
import { acceptLanguageTags, localeLabel, pickLocale, SUPPORTED_LOCALES } from "@/lib/format";
import { businessLocale } from "@/lib/services/readers/formatters";
import { saveStaffLocaleAction } from "./actions";

export const metadata: Metadata = { title: "Your locale · Tally Admin" };
export const dynamic = "force-dynamic";

export default async function ProfilePage() {
  const user = await requirePageUser("console.access");
  const [fmt, business, acceptLanguage] = await Promise.all([consoleFormatter(), businessLocale(await getDb()), headers().then((h) => acceptLanguageTags(h.get("accept-language")))]);
  const browser = pickLocale(acceptLanguage, business);
  return (
    <div className="space-y-6">
      <PageHeader title="Your locale" description={`How the console writes amounts, dates and counts for you. Now: ${localeLabel(fmt.locale)}, e.g. ${fmt.money(123456, "aud")} and ${fmt.money(-2500, "usd")}.`} />
      <Card className="max-w-2xl">
        <CardHeader title="Console locale" description="Customers read in their own locale (their preferred locales, else the business's); this is only yours." />
        <FieldsForm
          action={saveStaffLocaleAction}
          fields={[
            {
              kind: "select",
              name: "locale",
              label: "Locale",
              defaultValue: user.locale ?? "",
              options: [
                { value: "", label: browser ? `Your browser's (${localeLabel(browser)})` : `The business's (${localeLabel(business)})` },
                ...SUPPORTED_LOCALES.map((l) => ({ value: l, label: localeLabel(l) })),
              ],
            },
          ]}
        />
      </Card>
    </div>
  );
}
