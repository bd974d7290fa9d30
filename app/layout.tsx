import type { Metadata } from "next";
import { connection } from "next/server";
import type { ReactNode } from "react";
import "./globals.css";

export const metadata: Metadata = { title: "Tally" };

export default async function RootLayout({ children }: { children: ReactNode }) {
  // Every page is rendered per request, never prerendered: its scripts must carry the nonce of the
  // request's Content-Security-Policy (proxy.ts), which a static page could not.
  await connection();
  return (
    <html lang="en">
      <body>{children}</body>
    </html>
  );
}
