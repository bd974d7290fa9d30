import { ButtonLink, EmptyState, Wordmark } from "@/components/ui";

/** An address that matches no page: Tally's own page (Next's default one is styled inline, which the CSP refuses). */
export default function NotFound() {
  return (
    <div className="min-h-dvh bg-slate-50">
      <main className="mx-auto flex w-full max-w-[560px] flex-col gap-8 px-4 py-16">
        <Wordmark name="Tally" suffix="Billing" />
        <h1 className="sr-only">Page not found</h1>
        <EmptyState title="There's no page at this address" description="The link may be mistyped or out of date." action={<ButtonLink href="/">Go to Tally</ButtonLink>} />
      </main>
    </div>
  );
}
