import { describe, expect, it, vi } from "vitest";
import { authOptions } from "@/lib/auth/options";
import { CLIENT_ADDRESS_HEADER, clientAddressHeaderValue } from "@/lib/http/client-address";

// The request next-auth is answering: its headers, as the server stamped them on arrival.
const request = vi.hoisted(() => ({ client: "" }));
vi.mock("next/headers", async (importOriginal) => ({
  ...(await importOriginal<typeof import("next/headers")>()),
  headers: async () => new Headers({ [CLIENT_ADDRESS_HEADER]: clientAddressHeaderValue(request.client) }),
}));

/** A magic-link request for `email` from `client`: what the signIn callback answers (true = the link is sent). */
async function requestLink(client: string, email: string): Promise<unknown> {
  request.client = client;
  const signIn = authOptions.callbacks!.signIn!;
  return signIn({ user: { id: email, email }, account: { providerAccountId: email, provider: "email", type: "email" }, email: { verificationRequest: true } } as Parameters<typeof signIn>[0]);
}

describe("magic-link requests are limited per requesting address and per target address", () => {
  it("one client asking for links to many addresses is stopped, and another client is not", async () => {
    const perIpLimit = Number(process.env.SIGNIN_LIMIT_PER_IP ?? 30);
    for (let i = 0; i < perIpLimit; i++) expect(await requestLink("203.0.113.66", `flood${i}@example.test`)).toBe(true);
    expect(await requestLink("203.0.113.66", "flood-more@example.test")).toBe(false);
    // Someone else, elsewhere, still gets their link.
    expect(await requestLink("198.51.100.66", "real-person@example.test")).toBe(true);
  });

  it("links to one address are limited per target, whichever clients ask, without stopping links to other addresses", async () => {
    const clients = Array.from({ length: 8 }, (_, i) => `192.0.2.${i + 10}`);
    const answers = [];
    for (const client of clients) answers.push(await requestLink(client, "Victim@Example.test"));
    expect(answers).toEqual([true, true, true, true, true, false, false, false]);
    // The same clients can still ask for links to other addresses, and so can anyone else.
    for (const client of clients) expect(await requestLink(client, `other-${client}@example.test`)).toBe(true);
    expect(await requestLink("198.51.100.77", "someone@example.test")).toBe(true);
  });
});
