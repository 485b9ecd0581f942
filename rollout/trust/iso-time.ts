/** ISO 8601 timestamps as signed metadata carries them: full date and time with a zone. */
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/;

/** Milliseconds since the epoch, or undefined when the text is not a full ISO 8601 time. */
export function parseIsoTime(text: unknown): number | undefined {
  if (typeof text !== 'string' || !ISO.test(text)) return undefined;
  const ms = Date.parse(text);
  return Number.isFinite(ms) ? ms : undefined;
}

/** An expiry is reached at its instant: `expires <= now` is expired. */
export function isExpired(expires: string, nowMs: number): boolean {
  const ms = parseIsoTime(expires);
  return ms === undefined || ms <= nowMs;
}
