import { eventCatalog, type EventType } from "./events";

/** Throws when `payload` is not what the catalog says `type` carries, naming the event and the first bad field. */
export function checkEventPayload(type: EventType, payload: unknown): void {
  const parsed = eventCatalog[type].payload.safeParse(payload);
  if (parsed.success) return;
  const issue = parsed.error.issues[0];
  throw new Error(`${type} payload does not match the event catalog: ${issue ? `${issue.path.join(".") || "(payload)"}: ${issue.message}` : parsed.error.message}`);
}
