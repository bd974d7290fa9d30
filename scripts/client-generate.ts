/** Writes lib/client/openapi.d.ts from the OpenAPI document builder. Run: npm run client:generate */
import { writeFileSync } from "node:fs";
import { CLIENT_TYPES_PATH, renderClientTypes } from "./client-types";

writeFileSync(CLIENT_TYPES_PATH, await renderClientTypes());
console.log(`wrote ${CLIENT_TYPES_PATH.pathname}`);
