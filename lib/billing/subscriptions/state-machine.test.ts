import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { subscriptionStatuses, type SubscriptionStatus } from "./statuses";
import { AppError } from "@/lib/errors";
import { assertTransition, canPause, canTransition, pausableStatuses, transitions } from "./state-machine";

/**
 * The oracle, written out independently of the implementation: the lifecycle in SPEC.md
 * "Subscriptions" (Stripe's statuses plus pause). A change to the real table must change this too.
 */
const expected: Record<SubscriptionStatus, SubscriptionStatus[]> = {
  incomplete: ["active", "trialing", "incomplete_expired", "canceled"],
  incomplete_expired: [],
  trialing: ["active", "past_due", "incomplete", "canceled", "unpaid"],
  active: ["past_due", "paused", "canceled", "unpaid"],
  past_due: ["active", "unpaid", "canceled", "paused"],
  unpaid: ["active", "canceled"],
  paused: ["active", "canceled"],
  canceled: [],
};

const TERMINAL: SubscriptionStatus[] = ["canceled", "incomplete_expired"];
const statusArb = fc.constantFrom(...subscriptionStatuses);

function conflict(fn: () => unknown): AppError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(AppError);
    return error as AppError;
  }
  throw new Error("expected an AppError");
}

describe("transition table", () => {
  it("covers every status, and matches the documented lifecycle", () => {
    expect(Object.keys(transitions).sort()).toEqual([...subscriptionStatuses].sort());
    for (const s of subscriptionStatuses) expect([...transitions[s]].sort()).toEqual([...expected[s]].sort());
  });

  it("has no self-transitions and no duplicates", () => {
    for (const s of subscriptionStatuses) {
      expect(transitions[s]).not.toContain(s);
      expect(new Set(transitions[s]).size).toBe(transitions[s].length);
    }
  });

  it.each(TERMINAL)("%s is terminal: nothing leaves it", (s) => {
    for (const to of subscriptionStatuses) {
      expect(canTransition(s, to)).toBe(false);
      expect(conflict(() => assertTransition(s, to)).code).toBe("conflict");
    }
  });

  it("only terminal statuses are terminal, and every non-terminal one can be canceled", () => {
    for (const s of subscriptionStatuses) {
      if (TERMINAL.includes(s)) continue;
      expect(transitions[s].length).toBeGreaterThan(0);
      expect(canTransition(s, "canceled")).toBe(true);
    }
  });

  it("every status is reachable from incomplete or trialing (the two statuses a subscription starts in)", () => {
    const seen = new Set<SubscriptionStatus>(["incomplete", "trialing"]);
    const queue: SubscriptionStatus[] = [...seen];
    while (queue.length > 0) {
      const s = queue.shift()!;
      for (const to of transitions[s]) {
        if (!seen.has(to)) {
          seen.add(to);
          queue.push(to);
        }
      }
    }
    expect([...seen].sort()).toEqual([...subscriptionStatuses].sort());
  });

  it("a refused transition is a conflict naming both statuses", () => {
    const error = conflict(() => assertTransition("canceled", "active"));
    expect(error.code).toBe("conflict");
    expect(error.message).toContain("canceled → active");
    expect(error.userMessage).toBe("A canceled subscription cannot become active.");
    expect(conflict(() => assertTransition("incomplete_expired", "active")).userMessage).toBe(
      "A incomplete expired subscription cannot become active.",
    );
  });
});

// ---- model-based: random command sequences against the oracle ----

interface Model {
  status: SubscriptionStatus;
  history: SubscriptionStatus[];
}
interface Real {
  status: SubscriptionStatus;
}

class TransitionCommand implements fc.Command<Model, Real> {
  constructor(readonly to: SubscriptionStatus) {}
  check(): boolean {
    return true; // every request is allowed to be made; the machine decides
  }
  run(model: Model, real: Real): void {
    const allowed = expected[model.status].includes(this.to);
    expect(canTransition(real.status, this.to)).toBe(allowed);
    if (allowed) {
      expect(() => assertTransition(real.status, this.to)).not.toThrow();
      real.status = this.to;
      model.status = this.to;
      model.history.push(this.to);
    } else {
      const error = conflict(() => assertTransition(real.status, this.to));
      expect(error.code).toBe("conflict");
      // a refused request leaves the subscription where it was
    }
    expect(real.status).toBe(model.status);
    if (TERMINAL.includes(model.status)) {
      for (const s of subscriptionStatuses) expect(canTransition(real.status, s)).toBe(false);
    }
  }
  toString(): string {
    return `→ ${this.to}`;
  }
}

/** A request for any status from any status: legal ones move the walk on, the rest must be refused. */
const commandArbs = subscriptionStatuses.map((s) => fc.constant(new TransitionCommand(s)));

describe("state machine: model-based", () => {
  it("from any reachable state only listed transitions are accepted; everything else is a conflict", () => {
    fc.assert(
      fc.property(fc.constantFrom<SubscriptionStatus>("incomplete", "trialing"), fc.commands(commandArbs, { maxCommands: 40 }), (start, cmds) => {
        const model: Model = { status: start, history: [start] };
        const real: Real = { status: start };
        fc.modelRun(() => ({ model, real }), cmds);
        // the accepted history is a walk through the table
        for (let i = 1; i < model.history.length; i++) {
          expect(expected[model.history[i - 1]!]).toContain(model.history[i]);
        }
      }),
      { numRuns: 300 },
    );
  });

  it("random walks of legal moves visit every status", () => {
    const visited = new Set<SubscriptionStatus>();
    fc.assert(
      fc.property(
        fc.constantFrom<SubscriptionStatus>("incomplete", "trialing"),
        fc.array(fc.nat(), { maxLength: 20 }),
        (start, choices) => {
          let status = start;
          visited.add(status);
          for (const c of choices) {
            const next = transitions[status];
            if (next.length === 0) break;
            const to = next[c % next.length]!;
            assertTransition(status, to);
            status = to;
            visited.add(status);
          }
        },
      ),
      { numRuns: 300, seed: 42 },
    );
    expect([...visited].sort()).toEqual([...subscriptionStatuses].sort());
  });

  it("property: canTransition and assertTransition agree on every pair", () => {
    fc.assert(
      fc.property(statusArb, statusArb, (from, to) => {
        if (canTransition(from, to)) expect(() => assertTransition(from, to)).not.toThrow();
        else expect(conflict(() => assertTransition(from, to)).code).toBe("conflict");
      }),
    );
  });
});

describe("pause", () => {
  it("is allowed from exactly the statuses that may become paused", () => {
    expect([...pausableStatuses].sort()).toEqual(subscriptionStatuses.filter((s) => expected[s].includes("paused")).sort());
    expect([...pausableStatuses].sort()).toEqual(["active", "past_due"]);
    for (const s of subscriptionStatuses) expect(canPause(s)).toBe(canTransition(s, "paused"));
    expect(canPause("not_a_status")).toBe(false);
  });
});
