import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

/** Decision records (docs/decisions): numbered in order, each dated with a status under its title. */
const dir = path.resolve(__dirname, "../docs/decisions");
const files = fs.readdirSync(dir).filter((f) => f.endsWith(".md")).sort();

describe("decision records", () => {
  it("are numbered 001, 002, … without gaps or repeats", () => {
    expect(files.map((f) => f.slice(0, 3))).toEqual(files.map((_, k) => String(k + 1).padStart(3, "0")));
  });

  it.each(files)("%s: a title with its number, then a date and a status", (file) => {
    const [title, blank, line] = fs.readFileSync(path.join(dir, file), "utf8").split("\n");
    expect(title).toMatch(new RegExp(`^# ${file.slice(0, 3)} — \\S`));
    expect(blank).toBe("");
    expect(line).toMatch(/^Date: \d{4}-\d{2}-\d{2} · Status: (accepted|superseded by \d{3}|amended by \d{3}(, \d{3})*)\b/);
  });
});
