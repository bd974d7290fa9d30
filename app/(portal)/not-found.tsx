import { ButtonLink, EmptyState, PageHeader } from "@/components/ui";

/** Anything the signed-in customer can't see (missing, or another customer's) answers the same way. */
export default function PortalNotFound() {
  return (
    <div>
      <PageHeader title="Not found" />
      <EmptyState
        title="We couldn't find that on your account"
        description="The link may be out of date, or it may belong to a different account."
        action={<ButtonLink href="/">Back to billing overview</ButtonLink>}
      />
    </div>
  );
}
