import http from "node:http";
import { expect, fixtures, test } from "./fixtures";

/**
 * Who the client is, against the production server (`next start`), whose TRUSTED_PROXIES is
 * 127.0.0.3 (scripts/e2e-server.mjs). Requests leave from chosen loopback addresses: 127.0.0.2 is
 * an ordinary client forging X-Forwarded-For, 127.0.0.3 the operator's proxy.
 */
const UNTRUSTED = "127.0.0.2";
const PROXY = "127.0.0.3";

interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

function send(baseURL: string, path: string, opts: { from: string; method?: string; headers?: Record<string, string>; form?: Record<string, string> }): Promise<Answer> {
  const url = new URL(path, baseURL);
  const body = opts.form ? new URLSearchParams(opts.form).toString() : undefined;
  return new Promise((resolve, reject) => {
    const req = http.request(
      url,
      {
        method: opts.method ?? (body ? "POST" : "GET"),
        localAddress: opts.from,
        headers: { ...opts.headers, ...(body ? { "content-type": "application/x-www-form-urlencoded", "content-length": String(Buffer.byteLength(body)) } : {}) },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString("utf8") }));
      },
    );
    req.on("error", reject);
    req.end(body);
  });
}

/** next-auth's CSRF token and cookie, fetched as the given client. */
async function csrf(baseURL: string, from: string, forwardedFor?: string): Promise<{ token: string; cookie: string }> {
  const res = await send(baseURL, "/api/auth/csrf", { from, headers: forwardedFor ? { "x-forwarded-for": forwardedFor } : {} });
  const cookie = (res.headers["set-cookie"] ?? []).map((c) => c.split(";")[0]).join("; ");
  return { token: (JSON.parse(res.body) as { csrfToken: string }).csrfToken, cookie };
}

/** A password sign-in attempt; answers the error next-auth redirects to (CredentialsSignin, RateLimited). */
async function passwordAttempt(baseURL: string, from: string, email: string, forwardedFor: string): Promise<string | null> {
  const { token, cookie } = await csrf(baseURL, from, forwardedFor);
  const res = await send(baseURL, "/api/auth/callback/password", {
    from,
    headers: { cookie, "x-forwarded-for": forwardedFor, origin: baseURL },
    form: { csrfToken: token, email, password: "not the password at all", json: "true" },
  });
  return new URL((JSON.parse(res.body) as { url: string }).url).searchParams.get("error");
}

/** A magic-link request; answers whether the link was sent (next-auth sends people on to check-email). */
async function magicLink(baseURL: string, from: string, email: string, forwardedFor: string): Promise<boolean> {
  const { token, cookie } = await csrf(baseURL, from, forwardedFor);
  const res = await send(baseURL, "/api/auth/signin/email", {
    from,
    headers: { cookie, "x-forwarded-for": forwardedFor, origin: baseURL },
    form: { csrfToken: token, email, callbackUrl: "/", json: "true" },
  });
  const url = (JSON.parse(res.body) as { url: string }).url;
  if (/\/verify-request|\/sign-in\/check-email/.test(url)) return true;
  expect(url).toMatch(/error=AccessDenied/);
  return false;
}

function badKey(baseURL: string, from: string, i: number, forwardedFor: string): Promise<Answer> {
  return send(baseURL, "/api/v1/customers", { from, headers: { authorization: `Bearer tk_test_guess_${Date.now()}_${i}`, "x-forwarded-for": forwardedFor } });
}

const run = Date.now().toString(36);

test("a forged X-Forwarded-For per request does not escape the sign-in limit; behind the trusted proxy the forwarded client counts", async ({ baseURL }) => {
  const victim = `victim-${run}@example.test`;
  const answers: (string | null)[] = [];
  for (let i = 0; i < 11; i++) answers.push(await passwordAttempt(baseURL!, UNTRUSTED, victim, `198.51.100.${i + 1}`));
  expect(answers.slice(0, 10)).toEqual(Array(10).fill("CredentialsSignin"));
  expect(answers[10]).toBe("RateLimited");

  // Through the proxy: the forwarded client is the one limited, and another forwarded client is not.
  const other = `other-${run}@example.test`;
  for (let i = 0; i < 10; i++) expect(await passwordAttempt(baseURL!, PROXY, other, `6.6.6.6, 203.0.113.5`)).toBe("CredentialsSignin");
  expect(await passwordAttempt(baseURL!, PROXY, other, `7.7.7.7, 203.0.113.5`)).toBe("RateLimited");
  expect(await passwordAttempt(baseURL!, PROXY, other, "203.0.113.6")).toBe("CredentialsSignin");
});

test("a forged X-Forwarded-For per request does not escape the API-key-guessing limit, and locks no one else out", async ({ baseURL, api }) => {
  const statuses: number[] = [];
  for (let i = 0; i < 21; i++) statuses.push((await badKey(baseURL!, UNTRUSTED, i, `198.51.100.${i + 1}`)).status);
  expect(statuses.slice(0, 20)).toEqual(Array(20).fill(401));
  expect(statuses[20]).toBe(429);
  // Forging the blocked client's address from elsewhere changes nothing for either side.
  expect((await send(baseURL!, "/api/v1/customers?limit=1", { from: "127.0.0.1", headers: { authorization: `Bearer ${fixtures().apiKey}`, "x-forwarded-for": UNTRUSTED } })).status).toBe(200);
  expect((await api("/customers?limit=1")).status).toBe(200);

  // Behind the trusted proxy: the forwarded client is counted, so one client is blocked and the next is not.
  for (let i = 0; i < 20; i++) expect((await badKey(baseURL!, PROXY, i, "203.0.113.20")).status).toBe(401);
  expect((await badKey(baseURL!, PROXY, 20, "203.0.113.20")).status).toBe(429);
  expect((await badKey(baseURL!, PROXY, 21, "203.0.113.21")).status).toBe(401);
});

test("magic links: one inbox gets at most 5 in 15 minutes whoever asks, and other inboxes and clients are unaffected", async ({ baseURL }) => {
  const target = `inbox-${run}@example.test`;
  const sent: boolean[] = [];
  for (let i = 0; i < 7; i++) sent.push(await magicLink(baseURL!, PROXY, target, `203.0.113.${100 + i}`));
  expect(sent).toEqual([true, true, true, true, true, false, false]);
  expect(await magicLink(baseURL!, PROXY, `another-${run}@example.test`, "203.0.113.100")).toBe(true);
  expect(await magicLink(baseURL!, UNTRUSTED, `third-${run}@example.test`, "203.0.113.100")).toBe(true);
});
