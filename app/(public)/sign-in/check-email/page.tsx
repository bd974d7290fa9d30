import type { Metadata } from "next";
import Link from "next/link";
import { AuthCard } from "@/components/auth/AuthCard";

export const metadata: Metadata = { title: "Check your email · Tally" };

export default async function CheckEmailPage({ searchParams }: { searchParams: Promise<{ email?: string }> }) {
  const { email } = await searchParams;
  return (
    <AuthCard title="Check your email" description={email ? `We sent a sign-in link to ${email}.` : "We sent you a sign-in link."}>
      <p className="text-sm text-slate-600">The link works once and expires in 24 hours. You can close this tab.</p>
      <p className="mt-4 text-sm">
        <Link href="/sign-in" className="font-medium text-brand-700 hover:underline">
          Use a different email
        </Link>
      </p>
    </AuthCard>
  );
}
