import { spawnSync } from "node:child_process";
import fs from "node:fs";
import { expect, fixtures, test } from "./fixtures";

/**
 * The README's API examples run as written: the ```sh blocks of its "## API" section, in order, in
 * one bash with the test key and this server, each step (a line, with its continuation lines)
 * checked to have succeeded, and the ids it captured checked to be ids.
 */
function readmeApiSteps(): string[] {
  const readme = fs.readFileSync("README.md", "utf8");
  const start = readme.indexOf("\n## API\n");
  const end = readme.indexOf("\n## ", start + 1);
  const section = readme.slice(start, end);
  const blocks = [...section.matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => m[1]!);
  return blocks
    .flatMap((block) => block.replace(/\\\n/g, "").split("\n"))
    .map((line) => line.trim())
    .filter((line) => line !== "" && !line.startsWith("#"));
}

function withoutColour(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const { FORCE_COLOR: _force, ...rest } = env;
  return rest;
}

test("the README's API examples run as written against a running Tally, each step succeeding", async ({ baseURL }) => {
  const steps = readmeApiSteps();
  expect(steps.length, "the README has API examples").toBeGreaterThan(10);
  // After each step a marker on a line of its own (a step's output may not end its last line): a failing
  // step stops the script (set -e, curl --fail-with-body) before its marker.
  const script = ["set -euo pipefail", ...steps.flatMap((step, i) => [step, `printf '\\n::step ${i} ok\\n'`]), 'echo "::ids $CUSTOMER $SUBSCRIPTION $INVOICE"'].join("\n");
  const run = spawnSync("bash", ["-c", script], {
    // Plain output to match on: the runner forces colours, which node -p would otherwise print.
    env: { ...withoutColour(process.env), NO_COLOR: "1", KEY: fixtures().apiKey, TALLY: baseURL! },
    encoding: "utf8",
    timeout: 120_000,
  });
  const out = run.stdout ?? "";
  const done = [...out.matchAll(/^::step (\d+) ok$/gm)].length;
  expect(done, `stopped at: ${steps[done]}\n${out.slice(-2000)}\n${run.stderr}`).toBe(steps.length);
  expect(run.status, run.stderr).toBe(0);
  const ids = /^::ids (\S+) (\S+) (\S+)$/m.exec(out);
  expect(ids?.slice(1)).toEqual([expect.stringMatching(/^cus_/), expect.stringMatching(/^sub_/), expect.stringMatching(/^in_/)]);
  // What the steps printed: the card, the paid first invoice, the recorded usage, the journal's CSV header.
  expect(out).toContain("visa 4242");
  expect(out).toMatch(/'TLY-\d{6}', 'paid', 1000/);
});
