# Tally's container image: the Next.js standalone server (only the node_modules it uses), the
# migrations it applies at boot, and the command line bundled into one file. Runs as a non-root user.
#   docker build -t tally .
#   docker run -p 3000:3000 -e DATABASE_URL=… -e NEXTAUTH_SECRET=… -e APP_URL=https://billing.example.com tally
# scripts/standalone-check.mjs assembles the same directory from a local build and boots it the way
# CMD does (CI runs it after the production build).

FROM node:22-bookworm-slim AS deps
WORKDIR /app
ENV PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund

FROM node:22-bookworm-slim AS build
WORKDIR /app
ENV NEXT_TELEMETRY_DISABLED=1
COPY --from=deps /app/node_modules ./node_modules
COPY . .
RUN npx next build && node scripts/standalone-check.mjs --assemble-only

FROM node:22-bookworm-slim AS run
WORKDIR /app
ENV NODE_ENV=production \
    NEXT_TELEMETRY_DISABLED=1 \
    PORT=3000 \
    HOSTNAME=0.0.0.0
RUN groupadd --system --gid 1001 tally && useradd --system --uid 1001 --gid tally --home-dir /app tally
COPY --from=build --chown=tally:tally /app/.next/standalone ./
USER tally
EXPOSE 3000
HEALTHCHECK --interval=15s --timeout=5s --start-period=60s --retries=3 \
  CMD node -e "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/api/health/ready').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"
CMD ["node", "server.js"]
