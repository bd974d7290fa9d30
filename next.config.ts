import type { NextConfig } from "next";

const securityHeaders = [
  { key: "X-Content-Type-Options", value: "nosniff" },
  { key: "Referrer-Policy", value: "strict-origin-when-cross-origin" },
  { key: "X-Frame-Options", value: "DENY" },
  { key: "Permissions-Policy", value: "camera=(), microphone=(), geolocation=()" },
];

const nextConfig: NextConfig = {
  // The container image (Dockerfile) runs .next/standalone/server.js: the server with only the
  // node_modules it uses. `next start` keeps working on the same build.
  output: "standalone",
  // The API reference's script (app/api/docs/redoc.standalone.js) is read from node_modules at run time.
  // The PDF fonts (assets/fonts, lib/documents/fonts.ts) are read from disk when a document is rendered.
  outputFileTracingIncludes: {
    "/api/docs/redoc.standalone.js": ["./node_modules/redoc/bundles/redoc.standalone.js"],
    "/**": ["./assets/fonts/*.ttf"],
  },
  // graphql has CommonJS and ESM builds: loaded by Node itself, Pothos and graphql-yoga share one (docs/decisions/037-graphql.md).
  serverExternalPackages: ["@electric-sql/pglite", "@node-rs/argon2", "graphql", "graphql-yoga", "@pothos/core"],
  poweredByHeader: false,
  async headers() {
    return [{ source: "/:path*", headers: securityHeaders }];
  },
};

export default nextConfig;
