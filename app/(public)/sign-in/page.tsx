import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { AuthCard } from "@/components/auth/AuthCard";
import { SignInForm } from "@/components/auth/SignInForm";
import { currentUser } from "@/lib/auth/session";
import { isStaff } from "@/lib/auth/permissions";

export const metadata: Metadata = { title: "Sign in · Tally" };

/** Only same-site paths are honoured as a destination after sign-in. */
function safeCallback(value: string | undefined): string {
  if (!value) return "/";
  try {
    const url = new URL(value, "http://tally.local");
    return url.origin === "http://tally.local" ? `${url.pathname}${url.search}` : "/";
  } catch {
    return "/";
  }
}

export default async function SignInPage({ searchParams }: { searchParams: Promise<{ callbackUrl?: string; error?: string }> }) {
  const { callbackUrl, error } = await searchParams;
  const user = await currentUser();
  if (user) redirect(isStaff(user.role) ? "/admin" : safeCallback(callbackUrl));
  return (
    <AuthCard
      title="Sign in to your billing account"
      description="Manage your plan, payment methods and invoices."
      footer="Staff sign in here too and land in the admin console."
    >
      <SignInForm callbackUrl={safeCallback(callbackUrl)} initialError={error} />
    </AuthCard>
  );
}
