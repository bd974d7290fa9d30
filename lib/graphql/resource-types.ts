import type { FieldRef, ObjectFieldBuilder, ObjectRef } from "@pothos/core";
import { z } from "zod";
import { builder, type GraphqlTypes } from "./builder";

/**
 * GraphQL object types derived from the REST resources' zod schemas (lib/api/resources): each
 * field of the resource is a field here, camelCased (`amount_due` → `amountDue`), resolved from the
 * REST serializer's output. So a shape has one home and the two APIs cannot give different ids,
 * amounts or times.
 */
type Shape = Record<string, unknown>;
type FieldType = { type: unknown; nullable: boolean };
export type Types = PothosSchemaTypes.ExtendDefaultTypes<GraphqlTypes>;
// The field builder of an object type: the generated fields are typed by the schema at run time.
export type Fields = ObjectFieldBuilder<Types, Shape>;
export type FieldMap = Record<string, FieldRef<Types, unknown, "Object">>;

export function camelCase(key: string): string {
  return key.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

function pascalCase(key: string): string {
  const camel = camelCase(key);
  return camel.charAt(0).toUpperCase() + camel.slice(1);
}

function defOf(schema: z.ZodType): z.core.$ZodTypeDef & Record<string, unknown> {
  return (schema as unknown as { _zod: { def: z.core.$ZodTypeDef & Record<string, unknown> } })._zod.def;
}

function graphqlType(schema: z.ZodType, typeName: string): FieldType {
  const def = defOf(schema);
  switch (def.type) {
    case "nullable":
    case "optional":
      return { type: graphqlType(def.innerType as z.ZodType, typeName).type, nullable: true };
    case "default":
    case "readonly":
      return graphqlType(def.innerType as z.ZodType, typeName);
    case "string":
    case "literal":
    case "enum":
      return { type: "String", nullable: false };
    case "boolean":
      return { type: "Boolean", nullable: false };
    case "number":
      return { type: (schema as z.ZodNumber).isInt ? "SafeInt" : "Float", nullable: false };
    case "record":
      return { type: "JSONObject", nullable: false };
    case "array": {
      const element = graphqlType(def.element as z.ZodType, typeName);
      return { type: [element.type], nullable: false };
    }
    case "object":
      return { type: objectTypeOf(schema as z.ZodObject, typeName), nullable: false };
    default:
      throw new Error(`${typeName}: no GraphQL type for a zod ${def.type}`);
  }
}

// A nested schema used twice becomes one type (named by its `meta({ id })` when it has one).
const nested = new Map<z.ZodObject, ObjectRef<Types, Shape>>();
function objectTypeOf(schema: z.ZodObject, typeName: string): ObjectRef<Types, Shape> {
  let ref = nested.get(schema);
  if (!ref) {
    const id = z.globalRegistry.get(schema)?.id;
    ref = resourceType(typeof id === "string" ? id : typeName, schema);
    nested.set(schema, ref);
  }
  return ref;
}

/** The fields of a resource schema, for an object type's `fields`. */
export function resourceFields(t: Fields, name: string, schema: z.ZodObject): FieldMap {
  const fields: FieldMap = {};
  for (const [key, value] of Object.entries(schema.shape)) {
    const { type, nullable } = graphqlType(value as z.ZodType, `${name}${pascalCase(key)}`);
    const description = z.globalRegistry.get(value as z.ZodType)?.description;
    fields[camelCase(key)] = t.field({
      type: type as "String",
      nullable: nullable as false,
      description,
      resolve: (parent: Shape) => parent[key] as string,
    });
  }
  return fields;
}

/** An object type for a resource schema; `extra` adds fields of its own (relations). */
export function resourceType<T extends Shape>(name: string, schema: z.ZodObject, extra?: (t: Fields) => FieldMap): ObjectRef<Types, T> {
  const ref = builder.objectRef<T>(name);
  ref.implement({
    description: z.globalRegistry.get(schema)?.description,
    fields: (t) => ({ ...resourceFields(t as unknown as Fields, name, schema), ...(extra ? extra(t as unknown as Fields) : {}) }),
  });
  return ref as unknown as ObjectRef<Types, T>;
}

/** A selection of every field of a resource schema (nested objects expanded): REST's whole object, asked of GraphQL. */
export function selectAll(schema: z.ZodObject): string {
  const objectOf = (s: z.ZodType): z.ZodObject | undefined => {
    const def = defOf(s);
    if (def.type === "object") return s as z.ZodObject;
    if (def.type === "nullable" || def.type === "optional" || def.type === "default" || def.type === "readonly") return objectOf(def.innerType as z.ZodType);
    if (def.type === "array") return objectOf(def.element as z.ZodType);
    return undefined;
  };
  return Object.entries(schema.shape)
    .map(([key, value]) => {
      const inner = objectOf(value as z.ZodType);
      return inner ? `${camelCase(key)} { ${selectAll(inner)} }` : camelCase(key);
    })
    .join(" ");
}
