import { describe, expect, it } from "vitest";
import { mergeDisputeVersions, type DisputeVersion } from "./merge-dispute";

const at = (s: number) => new Date(Date.UTC(2026, 0, 1, 0, 0, s));
const v = (status: string, s: number, extra: Partial<DisputeVersion> = {}): DisputeVersion => ({
  status,
  amount: 1000,
  reason: "fraudulent",
  evidenceDueBy: null,
  fundsWithdrawn: false,
  fundsReinstated: false,
  asOf: at(s),
  ...extra,
});

function fold(versions: DisputeVersion[]): DisputeVersion {
  return versions.slice(1).reduce(mergeDisputeVersions, versions[0]!);
}

describe("mergeDisputeVersions", () => {
  it.each([
    ["newer wins", v("needs_response", 1), v("under_review", 2), "under_review"],
    ["older loses", v("under_review", 2), v("needs_response", 1), "under_review"],
    ["closed is final against a newer open status", v("lost", 1), v("needs_response", 5), "lost"],
    ["a closed status beats an older open one", v("under_review", 5), v("won", 1), "won"],
    ["same second: the later stage wins", v("under_review", 3), v("needs_response", 3), "under_review"],
    ["same second, closed vs review", v("under_review", 3), v("lost", 3), "lost"],
    ["an inquiry escalating to a chargeback", v("warning_under_review", 1), v("needs_response", 2), "needs_response"],
  ])("%s", (_label, current, incoming, status) => {
    expect(mergeDisputeVersions(current, incoming).status).toBe(status);
  });

  it("funds flags only ever set; amount and evidence come from the newest version", () => {
    const merged = mergeDisputeVersions(
      v("under_review", 5, { fundsWithdrawn: true, amount: 700, evidenceDueBy: at(100) }),
      v("needs_response", 1, { fundsReinstated: true, amount: 1000, evidenceDueBy: at(50) }),
    );
    expect(merged).toMatchObject({ status: "under_review", amount: 700, evidenceDueBy: at(100), fundsWithdrawn: true, fundsReinstated: true, asOf: at(5) });
  });

  it("every order of one lifecycle folds to the same dispute", () => {
    const life = [v("needs_response", 0, { evidenceDueBy: at(99) }), v("under_review", 1), v("under_review", 2, { fundsWithdrawn: true }), v("lost", 3)];
    const orders = [
      [0, 1, 2, 3],
      [3, 2, 1, 0],
      [1, 3, 0, 2],
      [2, 0, 3, 1],
    ];
    const results = orders.map((o) => fold(o.map((i) => life[i]!)));
    for (const r of results) expect(r).toEqual(results[0]);
    expect(results[0]).toMatchObject({ status: "lost", fundsWithdrawn: true, asOf: at(3), evidenceDueBy: at(99) });
  });
});
