import { buildSchema, Kind, parse, type OperationDefinitionNode } from "graphql";
import { describe, expect, it } from "vitest";
import { COMPUTED_FIELD_COST, measureSelection } from "./limits";

const schema = buildSchema(`
  type Query { customers(first: Int, after: String): CustomerConnection! customer(id: String!): Customer }
  type CustomerConnection { edges: [CustomerEdge!]! }
  type CustomerEdge { node: Customer! }
  type Customer { id: String! address: Address! invoices(first: Int): InvoiceConnection! upcomingInvoice: Upcoming }
  type Address { city: String }
  type InvoiceConnection { edges: [InvoiceEdge!]! }
  type InvoiceEdge { node: Invoice! }
  type Invoice { id: String! }
  type Upcoming { total: Int }
`);

function measure(query: string) {
  const document = parse(query);
  const operation = document.definitions.find((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
  if (!operation) throw new Error("no operation");
  const fragments = Object.fromEntries(document.definitions.flatMap((d) => (d.kind === Kind.FRAGMENT_DEFINITION ? [[d.name.value, d]] : [])));
  return measureSelection(schema, schema.getQueryType()!, operation.selectionSet, fragments);
}

describe("query limits", () => {
  it("counts depth by field levels, through fragments", () => {
    expect(measure(`{ customer(id: "x") { id } }`).depth).toBe(2);
    expect(measure(`{ customers { edges { node { ...C } } } } fragment C on Customer { address { city } }`).depth).toBe(5);
  });

  it("multiplies the objects below a connection by its first (default 20, a variable as 100)", () => {
    // customers(first: 10): 10 nodes; edges and node count once per parent; invoices(first: 5) per customer: 50.
    expect(measure(`{ customers(first: 10) { edges { node { invoices(first: 5) { edges { node { id } } } } } } }`).cost).toBe(10 + 10 + 10 + 50 + 50 + 50);
    expect(measure(`{ customers { edges { node { id } } } }`).cost).toBe(20 + 20 + 20);
    expect(measure(`query($n: Int) { customers(first: $n) { edges { node { id } } } }`).cost).toBe(300);
  });

  it("charges a computed field per parent", () => {
    expect(measure(`{ customer(id: "x") { upcomingInvoice { total } } }`).cost).toBe(1 + COMPUTED_FIELD_COST);
  });

  it("survives a fragment that spreads itself", () => {
    expect(() => measure(`{ customer(id: "x") { ...A } } fragment A on Customer { id ...A }`)).not.toThrow();
  });
});
