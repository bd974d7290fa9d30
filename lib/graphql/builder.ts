import SchemaBuilder from "@pothos/core";
import { GraphQLError, GraphQLScalarType, Kind } from "graphql";
import type { Db } from "@/db/client";
import type { ApiKeyActor } from "@/lib/api/handler";
import type { AuthenticatedApiKey } from "@/lib/api/keys";
import type { Loaders } from "./loaders";

/** What every resolver gets: the request's database, key (its mode scopes every read), time and batch loaders. */
export interface GraphqlContext {
  db: Db;
  apiKey: AuthenticatedApiKey;
  actor: ApiKeyActor;
  now: Date;
  requestId: string;
  loaders: Loaders;
}

export interface GraphqlTypes {
  Context: GraphqlContext;
  Scalars: {
    SafeInt: { Input: number; Output: number };
    JSONObject: { Input: Record<string, unknown>; Output: Record<string, unknown> };
  };
  DefaultFieldNullability: false;
}

export const builder = new SchemaBuilder<GraphqlTypes>({ defaultFieldNullability: false });

/**
 * Integers as REST gives them, up to 2^53 − 1: money in minor units can pass GraphQL's 32-bit `Int`
 * (an invoice of $21,474,836.48), and an amount must never fail to serialise.
 */
builder.addScalarType(
  "SafeInt",
  new GraphQLScalarType<number, number>({
    name: "SafeInt",
    description: "An integer between -(2^53 - 1) and 2^53 - 1; money is in integer minor units (1099 = $10.99).",
    serialize: (value) => {
      if (typeof value !== "number" || !Number.isSafeInteger(value)) throw new GraphQLError(`SafeInt cannot represent ${String(value)}`);
      return value;
    },
    parseValue: (value) => {
      if (typeof value !== "number" || !Number.isSafeInteger(value)) throw new GraphQLError("must be an integer", { extensions: { code: "validation_failed" } });
      return value;
    },
    parseLiteral: (ast) => {
      const n = ast.kind === Kind.INT ? Number(ast.value) : NaN;
      if (!Number.isSafeInteger(n)) throw new GraphQLError("must be an integer", { extensions: { code: "validation_failed" } });
      return n;
    },
  }),
);

builder.addScalarType(
  "JSONObject",
  new GraphQLScalarType<Record<string, unknown>, Record<string, unknown>>({
    name: "JSONObject",
    description: "A JSON object, e.g. metadata (string keys and values).",
    serialize: (value) => value as Record<string, unknown>,
    parseValue: () => {
      throw new GraphQLError("JSONObject is an output type only", { extensions: { code: "validation_failed" } });
    },
  }),
);

builder.queryType({});
