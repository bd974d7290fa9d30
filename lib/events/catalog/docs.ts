import { z } from "zod";
import { auditActionCatalog, auditActions } from "./audit-actions";
import { eventCatalog, eventTypes } from "./events";

/** docs/events.md, from the catalog (`npm run docs:events` writes it; a unit test keeps it current). */
export function renderEventDocs(): string {
  const out: string[] = [
    "# Events and audit actions",
    "",
    "<!-- Generated from lib/events/catalog by `npm run docs:events`; do not edit by hand. -->",
    "",
    "Every change Tally makes is recorded as an **audit entry** (who did what, with the record before and",
    "after) and, when other systems or the customer need to hear of it, announced as an **outbox event**,",
    "written in the same transaction and delivered after it commits (emails, outbound webhooks).",
    "",
    "Payloads are JSON: ids are strings, instants ISO 8601 strings in UTC, amounts integers in the",
    "currency's minor units.",
    "",
    "Every event has a `livemode`: its customer's mode (test or live, as the API key that created the",
    "customer), or for an event about no customer (an API-cost budget or provider) the mode of that",
    "object. A webhook endpoint hears only events of its own mode, and `GET /events` lists only the",
    "API key's mode. An endpoint hears one customer's events in order: a later event waits while an",
    "earlier one of the same customer to the same endpoint is within its first three attempts (about",
    "five minutes), then goes on without it.",
    "",
    "## Outbox events",
    "",
    `${eventTypes.length} event types; those marked *webhook* can be chosen by a webhook endpoint.`,
    "",
    "| Event | Webhook | Description |",
    "| --- | --- | --- |",
    ...eventTypes.map((type) => `| [\`${type}\`](#${anchor(type)}) | ${eventCatalog[type].webhook ? "yes" : ""} | ${eventCatalog[type].description} |`),
    "",
  ];
  for (const type of eventTypes) {
    const event = eventCatalog[type];
    out.push(`### ${type}`, "", `${event.description} Timeline: “${event.title}”.${event.webhook ? " Webhook endpoints can subscribe to it." : ""}`, "");
    out.push(...payloadTables(z.toJSONSchema(event.payload, { io: "input" }) as JsonSchema), "");
  }
  out.push(
    "## Audit actions",
    "",
    `${auditActions.length} actions, each recorded on one type of entity. The sentence is what the audit log and the`,
    "customer timeline show; `{Invoice}` stands for the invoice by number, and some actions add details",
    "from the entry (amounts, the card, what changed).",
    "",
    "| Action | Entity type | Sentence |",
    "| --- | --- | --- |",
    ...auditActions.map((action) => `| \`${action}\` | ${auditActionCatalog[action].entityType} | ${auditActionCatalog[action].sentence} |`),
    "",
  );
  return out.join("\n");
}

interface JsonSchema {
  type?: string | string[];
  format?: string;
  const?: unknown;
  enum?: unknown[];
  items?: JsonSchema;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
}

/** GitHub's heading anchor: lower case, dots dropped. */
function anchor(heading: string): string {
  return heading.toLowerCase().replace(/[^a-z0-9_ -]/g, "").replace(/ /g, "-");
}

function payloadTables(schema: JsonSchema): string[] {
  const variants = schema.anyOf ?? schema.oneOf;
  if (!variants) return fieldTable(schema);
  return variants.flatMap((variant, i) => [`Payload, form ${i + 1} of ${variants.length}:`, "", ...fieldTable(variant), ""]).slice(0, -1);
}

function fieldTable(schema: JsonSchema): string[] {
  const required = new Set(schema.required ?? []);
  return [
    "| Field | Type |",
    "| --- | --- |",
    ...Object.entries(schema.properties ?? {}).map(([key, field]) => `| \`${key}\` | ${typeText(field).replace(/\|/g, "\\|")}${required.has(key) ? "" : " (optional)"} |`),
  ];
}

function typeText(schema: JsonSchema): string {
  if (schema.const !== undefined) return JSON.stringify(schema.const);
  if (schema.enum) return schema.enum.map((v) => JSON.stringify(v)).join(" | ");
  const variants = schema.anyOf ?? schema.oneOf;
  if (variants) return variants.map(typeText).join(" | ");
  if (Array.isArray(schema.type)) return schema.type.map((type) => typeText({ ...schema, type })).join(" | ");
  switch (schema.type) {
    case "string":
      return schema.format === "date-time" ? "instant" : "string";
    case "array": {
      const item = schema.items ? typeText(schema.items) : "unknown";
      return item.includes(" | ") ? `(${item})[]` : `${item}[]`;
    }
    case "object": {
      const required = new Set(schema.required ?? []);
      return `{ ${Object.entries(schema.properties ?? {})
        .map(([key, field]) => `${key}${required.has(key) ? "" : "?"}: ${typeText(field)}`)
        .join(", ")} }`;
    }
    default:
      return schema.type ?? "unknown";
  }
}
