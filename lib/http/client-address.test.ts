import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  CLIENT_ADDRESS_HEADER,
  clientAddress,
  clientAddressHeaderValue,
  normalizeAddress,
  parseTrustedProxies,
  resolveClientAddress,
  stampClientAddress,
  UNKNOWN_CLIENT,
} from "./client-address";

const none = parseTrustedProxies(undefined);
const proxies = parseTrustedProxies("10.0.0.0/8, 192.168.1.10, ::1, fd00::/8");

const ipv4 = fc.tuple(fc.nat(255), fc.nat(255), fc.nat(255), fc.nat(255)).map((p) => p.join("."));
const ipv6 = fc.ipV6();
const address = fc.oneof(ipv4, ipv6);
/** Anything a client can put in X-Forwarded-For: addresses, garbage, ports, brackets, empty hops. */
const forgedHop = fc.oneof(address, fc.string(), ipv4.map((a) => `${a}:8080`), ipv6.map((a) => `[${a}]`), fc.constant(""), fc.constant("unknown"));
const forgedChain = fc.array(forgedHop, { maxLength: 6 }).map((hops) => hops.join(", "));
const untrustedPeer = address.filter((a) => !proxies.has(a));

describe("resolveClientAddress: who the client is", () => {
  it.each([
    ["no proxies: the peer, whatever the header says", "203.0.113.9", "198.51.100.1, 10.0.0.1", none, "203.0.113.9"],
    ["no proxies, no header", "203.0.113.9", undefined, none, "203.0.113.9"],
    ["an untrusted peer's header is ignored", "203.0.113.9", "198.51.100.1", proxies, "203.0.113.9"],
    ["a trusted proxy names the client", "10.1.2.3", "198.51.100.1", proxies, "198.51.100.1"],
    ["walks from the right through trusted hops only", "10.1.2.3", "6.6.6.6, 198.51.100.1, 192.168.1.10", proxies, "198.51.100.1"],
    ["a forged left part never wins over the first untrusted hop", "10.1.2.3", "127.0.0.1, 10.9.9.9, 198.51.100.1, 10.0.0.2", proxies, "198.51.100.1"],
    ["every hop trusted: the leftmost", "10.1.2.3", "10.0.0.5, 10.0.0.6", proxies, "10.0.0.5"],
    ["a trusted proxy without a header: the proxy itself", "10.1.2.3", undefined, proxies, "10.1.2.3"],
    ["garbage from a trusted proxy: the last address it vouched for", "10.1.2.3", "nonsense, 10.0.0.7", proxies, "10.0.0.7"],
    ["an empty hop stops the walk", "10.1.2.3", "198.51.100.1,", proxies, "10.1.2.3"],
    ["IPv4-mapped IPv6 peers are their IPv4 address", "::ffff:203.0.113.9", undefined, none, "203.0.113.9"],
    ["an IPv4-mapped trusted peer is trusted", "::ffff:10.0.0.1", "198.51.100.1", proxies, "198.51.100.1"],
    ["IPv6 proxy and client", "::1", "2001:DB8::1", proxies, "2001:db8::1"],
    ["ports and brackets in hops", "10.1.2.3", "[2001:db8::2]:443, 198.51.100.1:5555", proxies, "198.51.100.1"],
    ["several X-Forwarded-For headers are one chain", "10.1.2.3", ["198.51.100.1", "10.0.0.9"], proxies, "198.51.100.1"],
    ["no peer at all", undefined, "198.51.100.1", proxies, UNKNOWN_CLIENT],
  ] as const)("%s", (_name, peer, forwarded, trusted, expected) => {
    expect(resolveClientAddress(peer, forwarded as string | string[] | undefined, trusted)).toBe(expected);
  });

  it("property: from an untrusted peer, no forged header changes the answer (it is the peer)", () => {
    fc.assert(
      fc.property(untrustedPeer, forgedChain, (peer, chain) => {
        expect(resolveClientAddress(peer, chain, proxies)).toBe(normalizeAddress(peer));
        expect(resolveClientAddress(peer, chain, none)).toBe(normalizeAddress(peer));
      }),
      { numRuns: 500 },
    );
  });

  it("property: behind trusted proxies, nothing forged left of the first untrusted hop changes the answer", () => {
    const trustedHop = fc.oneof(fc.tuple(fc.nat(255), fc.nat(255), fc.nat(255)).map(([a, b, c]) => `10.${a}.${b}.${c}`), fc.constant("192.168.1.10"));
    fc.assert(
      fc.property(trustedHop, untrustedPeer, fc.array(trustedHop, { maxLength: 3 }), forgedChain, (peer, client, proxiesBetween, forged) => {
        const honest = [client, ...proxiesBetween].join(", ");
        const expected = normalizeAddress(client);
        expect(resolveClientAddress(peer, honest, proxies)).toBe(expected);
        expect(resolveClientAddress(peer, forged ? `${forged}, ${honest}` : honest, proxies)).toBe(expected);
      }),
      { numRuns: 500 },
    );
  });
});

describe("TRUSTED_PROXIES", () => {
  it("accepts addresses and CIDRs, IPv4 and IPv6", () => {
    const t = parseTrustedProxies(" 10.0.0.0/8 ,192.168.1.10,::1, fd00::/8,");
    expect(t.entries).toEqual(["10.0.0.0/8", "192.168.1.10", "::1", "fd00::/8"]);
    expect(t.has("10.255.0.1")).toBe(true);
    expect(t.has("11.0.0.1")).toBe(false);
    expect(t.has("192.168.1.10")).toBe(true);
    expect(t.has("192.168.1.11")).toBe(false);
    expect(t.has("fd12::1")).toBe(true);
    expect(t.has("::ffff:10.0.0.1")).toBe(true);
    expect(t.has("not an address")).toBe(false);
    expect(parseTrustedProxies("").has("127.0.0.1")).toBe(false);
  });

  it.each(["localhost", "10.0.0.0/33", "10.0.0.1:80", "10.0.0.0/8/8", "::1/129", "*"])("refuses %s", (entry) => {
    expect(() => parseTrustedProxies(entry)).toThrow(/TRUSTED_PROXIES/);
  });
});

describe("the stamped header", () => {
  it("replaces a client-supplied copy with the address worked out from the socket", () => {
    const headers: Record<string, string | string[] | undefined> = { [CLIENT_ADDRESS_HEADER]: clientAddressHeaderValue("6.6.6.6"), "x-forwarded-for": "6.6.6.6" };
    stampClientAddress(headers, "203.0.113.9", none);
    expect(clientAddress(headers)).toBe("203.0.113.9");
    expect(clientAddress(new Headers(headers as Record<string, string>))).toBe("203.0.113.9");
  });

  it("believes nothing it did not seal: a forged, unsealed or missing header is the unknown client", () => {
    expect(clientAddress({})).toBe(UNKNOWN_CLIENT);
    expect(clientAddress(new Headers({ [CLIENT_ADDRESS_HEADER]: "198.51.100.1" }))).toBe(UNKNOWN_CLIENT);
    const sealed = clientAddressHeaderValue("198.51.100.1");
    expect(clientAddress(new Headers({ [CLIENT_ADDRESS_HEADER]: sealed.replace("198.51.100.1", "198.51.100.2") }))).toBe(UNKNOWN_CLIENT);
    expect(clientAddress(new Headers({ [CLIENT_ADDRESS_HEADER]: `x${sealed}` }))).toBe(UNKNOWN_CLIENT);
    expect(clientAddress({ "x-forwarded-for": "198.51.100.1", "x-real-ip": "198.51.100.1" })).toBe(UNKNOWN_CLIENT);
  });
});
