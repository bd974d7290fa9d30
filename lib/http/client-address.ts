import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import type { IncomingHttpHeaders } from "node:http";
import { BlockList, isIP } from "node:net";

/**
 * Who the client is: the one answer every rate limit and block list uses.
 *
 * The socket's peer address is the client, unless the peer is one of the operator's proxies
 * (TRUSTED_PROXIES: addresses and CIDRs, none by default). Then X-Forwarded-For is walked from the
 * right, through trusted proxies only, and the first address not trusted is the client. Anything a
 * client wrote further left cannot change the answer.
 *
 * Next's server keeps a client-supplied X-Forwarded-For and loses the socket, so the answer is
 * computed when the request arrives (lib/http/stamp-client-address.ts, installed at boot) and
 * passed on in a header of Tally's own, sealed with a per-process key so that a copy sent by a
 * client is never believed.
 */
export const CLIENT_ADDRESS_HEADER = "x-tally-client-ip";

/** The answer when no stamped address reached the code that asks (all such requests share it). */
export const UNKNOWN_CLIENT = "unknown";

export interface TrustedProxies {
  has(address: string): boolean;
  readonly entries: readonly string[];
}

/** A bare IP address in one spelling (IPv4-mapped IPv6 as IPv4, IPv6 lower case), or null. */
export function normalizeAddress(raw: string | undefined | null): string | null {
  if (!raw) return null;
  let value = raw.trim();
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(value);
  if (bracketed) value = bracketed[1]!;
  else if (/^[\d.]+:\d+$/.test(value)) value = value.slice(0, value.lastIndexOf(":"));
  const version = isIP(value);
  if (version === 4) return value;
  if (version !== 6) return null;
  value = value.toLowerCase();
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(value);
  return mapped ? mapped[1]! : value;
}

/** TRUSTED_PROXIES: comma-separated addresses or CIDRs (e.g. `10.0.0.0/8, ::1`); throws on a bad entry. */
export function parseTrustedProxies(raw: string | undefined): TrustedProxies {
  const list = new BlockList();
  const entries = (raw ?? "")
    .split(",")
    .map((e) => e.trim())
    .filter(Boolean);
  for (const entry of entries) {
    const match = /^([^/\s]+)(?:\/(\d{1,3}))?$/.exec(entry);
    const version = match ? isIP(match[1]!) : 0;
    const type = version === 6 ? "ipv6" : "ipv4";
    const prefix = match?.[2] === undefined ? undefined : Number(match[2]);
    if (!match || version === 0 || (prefix !== undefined && prefix > (version === 6 ? 128 : 32))) {
      throw new Error(`TRUSTED_PROXIES: "${entry}" is not an IP address or CIDR (e.g. 10.0.0.0/8, 192.168.1.10, ::1)`);
    }
    if (prefix === undefined) list.addAddress(match[1]!, type);
    else list.addSubnet(match[1]!, prefix, type);
  }
  return {
    entries,
    has: (address) => {
      const normalized = normalizeAddress(address);
      return normalized !== null && list.check(normalized, isIP(normalized) === 6 ? "ipv6" : "ipv4");
    },
  };
}

/**
 * The client of a request that reached this server from `peer` carrying `forwardedFor`
 * (X-Forwarded-For, one header or several). Pure: the rule in one place.
 */
export function resolveClientAddress(peer: string | undefined, forwardedFor: string | readonly string[] | undefined, trusted: TrustedProxies): string {
  let client = normalizeAddress(peer);
  if (!client) return UNKNOWN_CLIENT;
  if (!trusted.has(client) || forwardedFor === undefined) return client;
  const hops = (typeof forwardedFor === "string" ? forwardedFor : forwardedFor.join(",")).split(",");
  for (let i = hops.length - 1; i >= 0; i--) {
    const hop = normalizeAddress(hops[i]);
    // A trusted proxy that forwarded something that is not an address: it is the client we know.
    if (!hop) return client;
    client = hop;
    if (!trusted.has(hop)) return client;
  }
  return client;
}

// One key per process, on globalThis: the boot hook and the route bundles are separate module
// instances of this file but must agree on it.
const KEY = Symbol.for("tally.client-address.key");
function sealKey(): Buffer {
  const g = globalThis as { [KEY]?: Buffer };
  g[KEY] ??= randomBytes(32);
  return g[KEY];
}

function seal(address: string): string {
  return createHmac("sha256", sealKey()).update(address).digest("base64url");
}

/** The header value that vouches for `address` in this process (the stamp sets it; tests use it too). */
export function clientAddressHeaderValue(address: string): string {
  return `${seal(address)} ${address}`;
}

/** Replace whatever the client sent in Tally's header with the address this server worked out. */
export function stampClientAddress(headers: IncomingHttpHeaders, peer: string | undefined, trusted: TrustedProxies): void {
  delete headers[CLIENT_ADDRESS_HEADER];
  headers[CLIENT_ADDRESS_HEADER] = clientAddressHeaderValue(resolveClientAddress(peer, headers["x-forwarded-for"], trusted));
}

/** A web request's headers, or node:http's (the dedicated listeners'). */
export type HeaderSource = { get(name: string): string | null } | Record<string, string | string[] | undefined>;

/** A header's (first) value from either kind of headers (web Headers or node:http's); undefined when absent. */
export function headerValue(headers: HeaderSource, name: string): string | undefined {
  const raw = typeof headers.get === "function" ? (headers as { get(name: string): string | null }).get(name) : (headers as Record<string, string | string[] | undefined>)[name];
  return (Array.isArray(raw) ? raw[0] : raw) ?? undefined;
}

/** The client address of the request with these headers, as stamped on arrival; `unknown` otherwise. */
export function clientAddress(headers: HeaderSource): string {
  const value = headerValue(headers, CLIENT_ADDRESS_HEADER);
  if (!value) return UNKNOWN_CLIENT;
  const space = value.indexOf(" ");
  if (space < 0) return UNKNOWN_CLIENT;
  const given = Buffer.from(value.slice(0, space));
  const address = value.slice(space + 1);
  const expected = Buffer.from(seal(address));
  return given.length === expected.length && timingSafeEqual(given, expected) ? address : UNKNOWN_CLIENT;
}
