/** Writes docs/events.md from the event catalog (lib/events/catalog). Run: npm run docs:events */
import { writeFileSync } from "node:fs";
import { renderEventDocs } from "@/lib/events/catalog/docs";

const path = new URL("../docs/events.md", import.meta.url);
writeFileSync(path, renderEventDocs());
console.log(`wrote ${path.pathname}`);
