import {
  GraphQLError,
  getNamedType,
  isInterfaceType,
  isObjectType,
  Kind,
  SchemaMetaFieldDef,
  TypeMetaFieldDef,
  type ASTVisitor,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLCompositeType,
  type GraphQLSchema,
  type SelectionSetNode,
  type ValidationContext,
  type ValidationRule,
} from "graphql";
import { LIST_LIMIT_DEFAULT, LIST_LIMIT_MAX } from "@/lib/api/pagination";

/**
 * Limits checked before a query runs (validation rules), so a query that would be too deep or read
 * too much is refused with one clear error instead of tying up the database:
 * - depth: fields nested more than MAX_DEPTH levels (introspection included);
 * - cost: an upper bound of the objects the query can return — each connection returns up to
 *   `first` nodes per parent (the maximum, 100, when `first` is a variable), every other object
 *   field one per parent, and a computed field (`upcomingInvoice`) COMPUTED_FIELD_COST.
 * Both answer `invalid_request` with the limit and the query's value in `extensions`.
 */
export const MAX_DEPTH = 15;
export const MAX_COST = 50_000;
export const COMPUTED_FIELD_COST = 10;
const COMPUTED_FIELDS = new Set(["upcomingInvoice"]);

export interface QueryMeasure {
  depth: number;
  cost: number;
}

/** A connection's `first`: the literal, the default when absent, the maximum when a variable. */
function firstArgument(selection: FieldNode): number {
  const arg = selection.arguments?.find((a) => a.name.value === "first");
  if (!arg) return LIST_LIMIT_DEFAULT;
  if (arg.value.kind === Kind.INT) return Math.min(LIST_LIMIT_MAX, Math.max(1, Number(arg.value.value)));
  return LIST_LIMIT_MAX;
}

export function measureSelection(
  schema: GraphQLSchema,
  type: GraphQLCompositeType,
  selectionSet: SelectionSetNode,
  fragments: Record<string, FragmentDefinitionNode>,
  parents = 1,
  seen: readonly string[] = [],
): QueryMeasure {
  let depth = 0;
  let cost = 0;
  for (const selection of selectionSet.selections) {
    let inner: QueryMeasure | undefined;
    if (selection.kind === Kind.FIELD) {
      const name = selection.name.value;
      const fieldType =
        name === SchemaMetaFieldDef.name && type === schema.getQueryType()
          ? SchemaMetaFieldDef
          : name === TypeMetaFieldDef.name && type === schema.getQueryType()
            ? TypeMetaFieldDef
            : isObjectType(type) || isInterfaceType(type)
              ? type.getFields()[name]
              : undefined;
      const named = fieldType ? getNamedType(fieldType.type) : undefined;
      if (!selection.selectionSet || !named || !(isObjectType(named) || isInterfaceType(named))) {
        depth = Math.max(depth, 1);
        continue;
      }
      const connection = fieldType?.args.some((a) => a.name === "first") ?? false;
      // A connection's nodes (edges.node) are `first` per parent: they multiply everything below.
      const below = connection ? parents * firstArgument(selection) : parents;
      const ownCost = COMPUTED_FIELDS.has(name) ? COMPUTED_FIELD_COST * parents : connection ? below : parents;
      const child = measureSelection(schema, named, selection.selectionSet, fragments, below, seen);
      depth = Math.max(depth, 1 + child.depth);
      cost += ownCost + child.cost;
      continue;
    }
    if (selection.kind === Kind.INLINE_FRAGMENT) {
      const on = selection.typeCondition ? schema.getType(selection.typeCondition.name.value) : type;
      inner = measureSelection(schema, (on as GraphQLCompositeType | undefined) ?? type, selection.selectionSet, fragments, parents, seen);
    } else {
      const name = selection.name.value;
      const fragment = fragments[name];
      if (!fragment || seen.includes(name)) continue;
      const on = schema.getType(fragment.typeCondition.name.value) as GraphQLCompositeType | undefined;
      inner = measureSelection(schema, on ?? type, fragment.selectionSet, fragments, parents, [...seen, name]);
    }
    depth = Math.max(depth, inner.depth);
    cost += inner.cost;
  }
  return { depth, cost };
}

export const queryLimits: ValidationRule = (context: ValidationContext): ASTVisitor => ({
  OperationDefinition(operation) {
    const schema = context.getSchema();
    const root = operation.operation === "query" ? schema.getQueryType() : operation.operation === "mutation" ? schema.getMutationType() : schema.getSubscriptionType();
    if (!root) return;
    const fragments = Object.fromEntries(context.getDocument().definitions.flatMap((d) => (d.kind === Kind.FRAGMENT_DEFINITION ? [[d.name.value, d]] : [])));
    const { depth, cost } = measureSelection(schema, root, operation.selectionSet, fragments);
    if (depth > MAX_DEPTH) {
      context.reportError(
        new GraphQLError(`The query is ${depth} levels deep; the limit is ${MAX_DEPTH}. Ask for fewer nested fields, or split the query.`, {
          nodes: [operation],
          extensions: { code: "invalid_request", limit: MAX_DEPTH, depth },
        }),
      );
    }
    if (cost > MAX_COST) {
      context.reportError(
        new GraphQLError(`The query could return ${cost} objects; the limit is ${MAX_COST}. Ask for smaller pages (first) at each level, or split the query.`, {
          nodes: [operation],
          extensions: { code: "invalid_request", limit: MAX_COST, cost },
        }),
      );
    }
  },
});
