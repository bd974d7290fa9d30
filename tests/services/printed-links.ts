import { vi } from "vitest";

export interface PrintedLink {
  purpose: string;
  to: string;
  url: string;
}

/**
 * On the embedded mailbox, a link only its recipient may hold (sign-in, payment confirmation) is
 * printed to the server log instead of being kept: "[tally] <purpose> for <to> (…): <url>".
 * Tests read links from there, the way the recipient does. Call inside a test (mocks are restored
 * after each one).
 */
export function capturePrintedLinks(): { all: () => PrintedLink[]; find: (to: string, purpose: string) => string } {
  const lines: string[] = [];
  vi.spyOn(console, "log").mockImplementation((...args: unknown[]) => {
    lines.push(args.map(String).join(" "));
  });
  const all = () =>
    lines.flatMap((line) => {
      const m = /^\[tally\] (.+?) for (\S+) \(.*\): (\S+)$/.exec(line);
      return m ? [{ purpose: m[1] ?? "", to: m[2] ?? "", url: m[3] ?? "" }] : [];
    });
  return {
    all,
    find(to, purpose) {
      const found = all().filter((l) => l.to === to && l.purpose === purpose);
      const last = found.at(-1);
      if (!last) throw new Error(`no ${purpose} for ${to} was printed; printed:\n${lines.join("\n")}`);
      return last.url;
    },
  };
}
