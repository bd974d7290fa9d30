/** The shape of one operation in ../shared/stripe-openapi/operations.json. */

export interface Schema {
  type?: "string" | "integer" | "number" | "boolean" | "object" | "array";
  properties?: Record<string, Schema>;
  required?: string[];
  additionalProperties?: boolean | Schema;
  items?: Schema;
  anyOf?: Schema[];
  enum?: unknown[];
  maxLength?: number;
  format?: string;
}

interface QueryParam {
  required: boolean;
  schema: Schema;
}

export interface Operation {
  operationId: string;
  path_params: string[];
  query?: Record<string, QueryParam>;
  form: Schema;
}
