"use client";

import { signIn } from "next-auth/react";
import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import { Alert, Button, Input } from "@/components/ui";

const errorMessages: Record<string, string> = {
  CredentialsSignin: "That email and password do not match an account.",
  RateLimited: "Too many sign-in attempts. Please wait a minute and try again.",
  AccessDenied: "Too many sign-in links requested. Please wait a few minutes and try again.",
  Verification: "That sign-in link has expired or was already used. Request a new one below.",
  EmailSignin: "We could not send the sign-in email. Please try again.",
  PortalLinkExpired: "That billing link has expired or was already used. Sign in below, or ask for a new link from the product you came from.",
};

export function SignInForm({ callbackUrl, initialError }: { callbackUrl: string; initialError?: string }) {
  const router = useRouter();
  const [mode, setMode] = useState<"password" | "link">("password");
  const [error, setError] = useState<string | undefined>(initialError ? (errorMessages[initialError] ?? "Sign-in failed. Please try again.") : undefined);
  const [pending, setPending] = useState(false);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const email = String(form.get("email") ?? "");
    setPending(true);
    setError(undefined);
    if (mode === "password") {
      const result = await signIn("password", { email, password: String(form.get("password") ?? ""), redirect: false, callbackUrl });
      if (result?.error) {
        setError(errorMessages[result.error] ?? "Sign-in failed. Please try again.");
        setPending(false);
        return;
      }
      // The callback is a same-site path (checked on the server); never follow an absolute URL here.
      router.replace(callbackUrl);
      router.refresh();
      return;
    }
    const result = await signIn("email", { email, redirect: false, callbackUrl });
    if (result?.error) {
      setError(errorMessages[result.error] ?? "We could not send the sign-in email. Please try again.");
      setPending(false);
      return;
    }
    router.push(`/sign-in/check-email?email=${encodeURIComponent(email)}`);
  }

  return (
    <form onSubmit={submit} className="space-y-4" noValidate={false}>
      {error ? <Alert tone="danger">{error}</Alert> : null}
      <Input label="Email" name="email" type="email" autoComplete="email" required autoFocus />
      {mode === "password" ? <Input label="Password" name="password" type="password" autoComplete="current-password" required /> : null}
      <Button type="submit" loading={pending} fullWidth>
        {mode === "password" ? "Sign in" : "Email me a sign-in link"}
      </Button>
      <div className="relative py-1 text-center text-xs text-slate-500">
        <span className="bg-white px-2">or</span>
      </div>
      <Button type="button" variant="secondary" fullWidth onClick={() => { setMode(mode === "password" ? "link" : "password"); setError(undefined); }}>
        {mode === "password" ? "Sign in with an email link instead" : "Sign in with a password instead"}
      </Button>
    </form>
  );
}
