import Link from "next/link";
import { Alert } from "@/components/ui";
import type { AbnWarning } from "@/lib/tax/seller-abn";

export const BUSINESS_PROFILE_ANCHOR = "business-profile";

/** The calm notice that tax invoices lack a valid ABN; the fix links to the settings for those who may change them. */
export function AbnWarningBanner({ warning, canFix, onSettingsPage = false }: { warning: AbnWarning | null; canFix: boolean; onSettingsPage?: boolean }) {
  if (!warning) return null;
  const action =
    canFix && !onSettingsPage ? (
      <Link href={`/admin/settings#${BUSINESS_PROFILE_ANCHOR}`} className="text-sm font-medium whitespace-nowrap underline">
        Open business profile
      </Link>
    ) : undefined;
  return (
    <Alert tone="warning" title={warning.title} action={action}>
      {warning.fix}
      {canFix ? null : " A super admin can change it."}
    </Alert>
  );
}
