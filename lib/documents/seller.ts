import fs from "node:fs";
import path from "node:path";
import type { Executor } from "@/db/client";
import { appUrl } from "@/lib/env";
import { getSetting } from "@/lib/services/settings/settings";
import type { DocumentLogo, DocumentSeller } from "./parts";

/**
 * The business on its documents, from the console's business profile and branding settings.
 * The logo is embedded only when it is already here: a `data:` URI, or a PNG/JPEG served by Tally
 * itself from `public/` (the logo URL on Tally's own origin). A logo elsewhere on the web is left
 * out of the PDF (the business name is printed instead): rendering a document never fetches anything.
 */
export async function sellerFromSettings(db: Executor): Promise<DocumentSeller> {
  const [profile, branding] = await Promise.all([getSetting(db, "business.profile"), getSetting(db, "business.branding")]);
  return {
    name: profile.name,
    taxNumber: profile.taxNumber,
    addressLines: profile.address.split(/\r?\n|,\s*/).map((l) => l.trim()).filter(Boolean),
    email: profile.supportEmail || null,
    footer: profile.invoiceFooter || null,
    brandColor: branding.brandColor,
    logo: localLogo(branding.logoUrl, { origin: appUrl(), publicDir: path.join(process.cwd(), "public") }),
  };
}

const MAX_LOGO_BYTES = 1024 * 1024;

function formatOf(name: string): DocumentLogo["format"] | null {
  if (/^image\/png$|\.png$/i.test(name)) return "png";
  if (/^image\/jpe?g$|\.jpe?g$/i.test(name)) return "jpg";
  return null;
}

/** The logo's bytes when they are local (a data URI, or a file under `publicDir` at `origin`), else null. */
export function localLogo(logoUrl: string, where: { origin: string; publicDir: string }): DocumentLogo | null {
  if (!logoUrl) return null;
  const data = /^data:(image\/[a-z+]+);base64,([A-Za-z0-9+/=\s]+)$/i.exec(logoUrl);
  if (data) {
    const format = formatOf(data[1]!);
    const bytes = Buffer.from(data[2]!, "base64");
    return format && bytes.byteLength <= MAX_LOGO_BYTES ? { data: bytes, format } : null;
  }
  let url: URL;
  try {
    url = new URL(logoUrl, where.origin);
  } catch {
    return null;
  }
  if (url.origin !== new URL(where.origin).origin) return null;
  const format = formatOf(url.pathname);
  const file = path.resolve(where.publicDir, `.${decodeURIComponent(url.pathname)}`);
  if (!format || !file.startsWith(path.resolve(where.publicDir) + path.sep)) return null;
  const bytes = logoFile(file);
  return bytes ? { data: bytes, format } : null;
}

let lastLogo: { file: string; mtimeMs: number; size: number; data: Buffer } | null = null;

/**
 * A logo file's bytes, read once and kept while it stays the same file: every PDF stats the file,
 * and reads it again only when the configured path names another file or the file's modification
 * time or size has changed (a logo replaced in place). One file is kept, the one the branding names.
 */
function logoFile(file: string): Buffer | null {
  try {
    const stat = fs.statSync(file);
    if (!stat.isFile() || stat.size > MAX_LOGO_BYTES) return null;
    if (lastLogo?.file !== file || lastLogo.mtimeMs !== stat.mtimeMs || lastLogo.size !== stat.size) lastLogo = { file, mtimeMs: stat.mtimeMs, size: stat.size, data: fs.readFileSync(file) };
    return lastLogo.data;
  } catch {
    return null;
  }
}
