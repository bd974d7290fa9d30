/**
 * Stripe's published description of its API (../shared/stripe-openapi/operations.json, beside the
 * checkout; see its README) as the fake Stripe's request check: every request the fake receives is
 * matched to one of Stripe's operations and its parameters are checked against that operation's
 * rules, so a request Stripe would refuse — an unknown operation, an unknown or missing parameter,
 * a wrong type or enum value, a string too long — is refused by the fake too, with Stripe's error
 * shape (400 `invalid_request_error`, `parameter_unknown` / `parameter_missing` / `parameter_invalid_*`).
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { Operation, Schema } from "./operation-types";
import { TAX_CALCULATION_OPERATION } from "./tax-calculation-operation";

export type { Operation, Schema };

type Json = Record<string, unknown>;

interface Description {
  all_operations: string[];
  operations: Record<string, Operation>;
}

/** Where the description lives: `../shared/stripe-openapi` relative to the checkout root. */
export const OPERATIONS_PATH = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../../shared/stripe-openapi/operations.json");

let loaded: Description | undefined;

export function stripeDescription(): Description {
  if (!loaded) {
    const description = JSON.parse(readFileSync(OPERATIONS_PATH, "utf8")) as Description;
    // Operations Tally uses whose parameters the snapshot does not list (see the module for its source).
    description.operations["POST /v1/tax/calculations"] ??= TAX_CALCULATION_OPERATION;
    loaded = description;
  }
  return loaded;
}

/** A refusal, as Stripe words it. */
export interface Violation {
  status: number;
  code: string;
  param?: string;
  message: string;
}

export interface MatchedOperation {
  key: string;
  operation: Operation | null;
  pathParams: Record<string, string>;
}

/**
 * The operation a request is for: the template with the most literal segments wins, so
 * `/v1/payment_intents/search` is the search and not the retrieval of an intent named "search".
 */
export function matchOperation(method: string, urlPath: string): MatchedOperation | null {
  const segments = urlPath.split("/").filter(Boolean);
  let best: { key: string; literal: number; params: Record<string, string> } | null = null;
  for (const key of stripeDescription().all_operations) {
    const [m, template] = key.split(" ");
    if (m !== method || !template) continue;
    const parts = template.split("/").filter(Boolean);
    if (parts.length !== segments.length) continue;
    const params: Record<string, string> = {};
    let literal = 0;
    const ok = parts.every((part, i) => {
      const value = decodeURIComponent(segments[i] ?? "");
      if (part.startsWith("{") && part.endsWith("}")) {
        params[part.slice(1, -1)] = value;
        return value !== "";
      }
      literal += 1;
      return part === value;
    });
    if (ok && (!best || literal > best.literal)) best = { key, literal, params };
  }
  if (!best) return null;
  return { key: best.key, operation: stripeDescription().operations[best.key] ?? null, pathParams: best.params };
}

/**
 * Check one request. `params` are the decoded form body (POST) or query string (GET/DELETE), as
 * strings, objects and arrays — what Stripe receives. Returns the first violation, like Stripe.
 */
export function checkRequest(method: string, urlPath: string, params: Json): Violation | null {
  const matched = matchOperation(method, urlPath);
  if (!matched) return { status: 404, code: "resource_missing", message: `Unrecognized request URL (${method}: ${urlPath}). Please see https://stripe.com/docs or we can help at https://support.stripe.com/.` };
  const { operation } = matched;
  if (!operation) {
    return { status: 404, code: "resource_missing", message: `fake-stripe: ${matched.key} is a Stripe operation outside the described slice (operations.json); Tally's adapter does not use it.` };
  }
  if (method === "GET" || method === "DELETE") {
    const query = operation.query ?? {};
    for (const name of Object.keys(params)) {
      if (!query[name]) return unknown(name);
    }
    for (const [name, rule] of Object.entries(query)) {
      if (params[name] === undefined) {
        if (rule.required) return { status: 400, code: "parameter_missing", param: name, message: `Missing required param: ${name}.` };
        continue;
      }
      const v = checkValue(rule.schema, params[name], name);
      if (v) return v;
    }
    return null;
  }
  return checkValue(operation.form, params, "");
}

function unknown(param: string): Violation {
  return { status: 400, code: "parameter_unknown", param, message: `Received unknown parameter: ${param}` };
}

function child(prefix: string, key: string): string {
  return prefix === "" ? key : `${prefix}[${key}]`;
}

/** A value against a schema; form values arrive as strings (or nested objects/arrays of strings). */
export function checkValue(schema: Schema, value: unknown, param: string): Violation | null {
  if (schema.anyOf) {
    let first: Violation | null = null;
    for (const option of schema.anyOf) {
      const v = checkValue(option, value, param);
      if (!v) return null;
      // Report the branch that got furthest: an object's inner problem beats "not a string".
      if (!first || (typeof value === "object" && v.param !== param)) first = v;
    }
    return first;
  }
  const invalid = (code: string, message: string): Violation => ({ status: 400, code, param, message });
  const type = schema.type ?? (schema.properties || schema.additionalProperties ? "object" : undefined);
  switch (type) {
    case "object": {
      if (!value || typeof value !== "object" || Array.isArray(value)) return invalid("parameter_invalid_object", `Invalid object: ${param || "request body"} must be an object (a hash of parameters).`);
      const obj = value as Json;
      const props = schema.properties ?? {};
      for (const [key, v] of Object.entries(obj)) {
        const rule = props[key];
        if (rule) {
          const bad = checkValue(rule, v, child(param, key));
          if (bad) return bad;
          continue;
        }
        // Stripe refuses keys it does not describe, unless the object is a free map (metadata).
        if (schema.additionalProperties && typeof schema.additionalProperties === "object") {
          const bad = checkValue(schema.additionalProperties, v, child(param, key));
          if (bad) return bad;
          continue;
        }
        if (schema.additionalProperties === true && !schema.properties) continue;
        return unknown(child(param, key));
      }
      for (const key of schema.required ?? []) {
        if (obj[key] === undefined) return { status: 400, code: "parameter_missing", param: child(param, key), message: `Missing required param: ${child(param, key)}.` };
      }
      return null;
    }
    case "array": {
      if (!Array.isArray(value)) return invalid("parameter_invalid_array", `Invalid array: ${param} must be an array.`);
      for (const [i, item] of value.entries()) {
        const bad = schema.items ? checkValue(schema.items, item, `${param}[${i}]`) : null;
        if (bad) return bad;
      }
      return null;
    }
    case "integer":
      if (typeof value !== "string" || !/^-?\d+$/.test(value)) return invalid("parameter_invalid_integer", `Invalid integer: ${String(value)}`);
      return checkEnum(schema, value, param);
    case "number":
      if (typeof value !== "string" || value === "" || !Number.isFinite(Number(value))) return invalid("parameter_invalid_number", `Invalid decimal: ${String(value)}`);
      return checkEnum(schema, value, param);
    case "boolean":
      if (value !== "true" && value !== "false") return invalid("parameter_invalid_boolean", `Invalid boolean: ${String(value)}`);
      return null;
    case "string": {
      if (typeof value !== "string") return invalid("parameter_invalid_string", `Invalid string: ${param} must be a string.`);
      if (schema.format === "unix-time" && !/^\d+$/.test(value)) return invalid("parameter_invalid_integer", `Invalid timestamp: ${value}`);
      if (schema.maxLength !== undefined && value.length > schema.maxLength) {
        return invalid("parameter_invalid_string", `Invalid string: ${value.slice(0, 20)}…; must be at most ${schema.maxLength} characters`);
      }
      return checkEnum(schema, value, param);
    }
    default:
      return null;
  }
}

function checkEnum(schema: Schema, value: string, param: string): Violation | null {
  if (!schema.enum) return null;
  if (schema.enum.map(String).includes(value)) return null;
  const allowed = schema.enum.map(String).filter((v) => v !== "");
  return { status: 400, code: "parameter_invalid_enum", param, message: `Invalid ${param}: must be one of ${allowed.join(", ")}` };
}
