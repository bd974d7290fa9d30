import { AppError } from "@/lib/errors";

/** Request bodies are capped at 1 MB: checked on Content-Length and again on the bytes actually read. */
export const MAX_BODY_BYTES = 1024 * 1024;

function tooLarge(): AppError {
  return new AppError("payload_too_large", {
    userMessage: `The request body is larger than ${MAX_BODY_BYTES / 1024 / 1024} MB.`,
  });
}

function invalidJson(detail: string): AppError {
  return new AppError("invalid_json", { userMessage: `${detail} Send a JSON object with Content-Type: application/json.` });
}

/** The body's text as a JSON object; an empty body is `{}` so required fields report as missing. */
export function parseJsonBody(text: string): Record<string, unknown> {
  if (text.trim() === "") return {};
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw invalidJson("The request body is not valid JSON.");
  }
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    throw invalidJson("The request body must be a JSON object.");
  }
  return value as Record<string, unknown>;
}

/** A web Request's body as text, read up to the cap (declared length first, then the bytes read). */
export async function webBodyText(req: Request): Promise<string> {
  const declared = req.headers.get("content-length");
  if (declared !== null && Number(declared) > MAX_BODY_BYTES) throw tooLarge();
  if (!req.body) return "";
  const reader = req.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > MAX_BODY_BYTES) {
      await reader.cancel().catch(() => undefined);
      throw tooLarge();
    }
    chunks.push(value);
  }
  return bodyText(Buffer.concat(chunks, total), total);
}

/** A body a server has already read (`size`: every byte received, `bytes`: those kept) as text: refused past the cap or when not UTF-8. */
export function bodyText(bytes: Uint8Array, size: number): string {
  if (size > MAX_BODY_BYTES) throw tooLarge();
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    throw invalidJson("The request body is not valid UTF-8.");
  }
}
