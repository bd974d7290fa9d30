import { handleGraphql } from "@/lib/graphql/server";

export const dynamic = "force-dynamic";

/** GraphQL over the REST API's services and keys (lib/graphql, docs/decisions/037-graphql.md). */
export const POST = (req: Request): Promise<Response> => handleGraphql(req);
