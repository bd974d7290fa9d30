import type { ReactElement } from "react";
import { renderEmail } from "@/emails/render";

/**
 * A link only its recipient may hold: a magic sign-in link, a signed payment-confirmation link.
 * Whoever has it acts as the recipient, so Tally keeps no copy of it: the email is stored with
 * the link withheld (every staff role can read the mailbox), and the real link exists only in
 * the message handed to the transport. docs/decisions/021-secret-links-and-production-defaults.md.
 */
export interface SecretLink {
  url: string;
  /** The part of the URL that grants access (a token): must never appear in what is stored. */
  secret: string;
  /** What the link is, for people: "sign-in link", "payment confirmation link". */
  purpose: string;
}

/** An email body with a secret link: the real one for delivery, the withheld one for storage. */
export interface SecretBodies {
  html: string;
  text: string;
  secretLink: SecretLink & { withheld: { html: string; text: string } };
}

/** What stands in the stored email where the link was: "[sign-in link withheld]". */
export function withheldLinkText(purpose: string): string {
  return `[${purpose} withheld]`;
}

const WITHHELD = /\[([a-z][a-z -]*) withheld\]/g;

/** The purposes of the links withheld from a stored email's plain text, for the mailbox page. */
export function withheldLinks(storedText: string): string[] {
  return [...new Set([...storedText.matchAll(WITHHELD)].map((m) => m[1] ?? ""))];
}

/**
 * Render a template twice: with the secret link, for the recipient, and with the link withheld,
 * for Tally's records. Rendering (rather than search-and-replace) means no escaping or line
 * wrapping can leave a piece of the token behind; the check below makes sure of it.
 */
export async function renderWithSecretLink(build: (url: string) => ReactElement, link: SecretLink): Promise<SecretBodies> {
  const [real, withheld] = await Promise.all([renderEmail(build(link.url)), renderEmail(build(withheldLinkText(link.purpose)))]);
  assertNoSecret(withheld, link);
  return { ...real, secretLink: { ...link, withheld } };
}

/** Refuse to store a body that still holds the secret. */
export function assertNoSecret(body: { html: string; text: string }, link: Pick<SecretLink, "secret" | "purpose">): void {
  if (link.secret.length < 16) throw new Error(`The ${link.purpose}'s secret is too short to check for (${link.secret.length} characters).`);
  if (body.html.includes(link.secret) || body.text.includes(link.secret)) {
    throw new Error(`Refusing to store an email that still contains its ${link.purpose}.`);
  }
}

/** The one line the embedded mailbox prints so the recipient (the operator, on a demo) can use the link. */
export function printedLinkLine(to: string, link: Pick<SecretLink, "url" | "purpose">): string {
  return `[tally] ${link.purpose} for ${to} (withheld from the mailbox; this log is the only copy): ${link.url}`;
}
