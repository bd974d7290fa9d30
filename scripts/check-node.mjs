// Stops at once, with the reason, on a Node.js older than Tally's tools need (package.json
// "engines": eslint 10, vite 7 and @react-email/render ask for 20.19 on the 20 line, 22.13 on the
// 22 line, and eslint 10 leaves out 23, past its end of life). Runs before the demo, the server, the CLI and the test suite.
import fs from "node:fs";

const { engines } = JSON.parse(fs.readFileSync(new URL("../package.json", import.meta.url), "utf8"));
const [major, minor] = process.versions.node.split(".").map(Number);
const supported = (major === 20 && minor >= 19) || (major === 22 && minor >= 13) || major >= 24;
if (!supported) {
  console.error(
    `Tally needs Node.js ${engines.node} (this is ${process.version}). Install a supported Node.js (for example 20.19 or 22 LTS) and run the command again.`,
  );
  process.exit(1);
}
