import type { InngestTestEngine } from "@inngest/test";

/** A cron tick at `at` (the event Inngest sends a cron function; `ts` is the instant the function works at). */
export function tick(at: Date): [{ name: string; data: { cron: string }; ts: number }] {
  return [{ name: "inngest/scheduled.timer", data: { cron: "test" }, ts: at.getTime() }];
}

/** The events a function handed to step.sendEvent, call by call (the send steps are mocked: @inngest/test's sendEvent 401s, inngest-js#1271). */
export function sentBatches(ctx: InngestTestEngine.MockContext): { name: string; id: string; data: Record<string, unknown> }[][] {
  return ctx.step.sendEvent.mock.calls.map((call) => call[1] as unknown as { name: string; id: string; data: Record<string, unknown> }[]);
}

/** Mocks for the first `n` send steps of a fan-out (`send-due-<page>`). */
export function mockSends(prefix: string, n: number): InngestTestEngine.MockedStep[] {
  return Array.from({ length: n }, (_, i) => ({ id: `${prefix}-${i}`, handler: () => ({ ids: [] }) }));
}
