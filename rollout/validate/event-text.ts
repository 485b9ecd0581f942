/**
 * An event as a short line for a report: JSON with each long string cut and its length said, so a
 * 5 MB command line that broke a pack still fits on a screen. Lone surrogates and NUL bytes come
 * out escaped (JSON.stringify is well-formed), never raw.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import type { Event } from '../../common/events.js';

export function eventText(e: Event, maxString = 80, maxTotal = 600): string {
  const text = JSON.stringify(e, (_k, v: unknown) => {
    if (typeof v === 'string' && v.length > maxString) return `${v.slice(0, maxString)}…(${v.length} chars)`;
    if (typeof v === 'bigint') return v.toString();
    return v;
  });
  return text.length > maxTotal ? `${text.slice(0, maxTotal)}…` : text;
}

/** Writes the whole event as JSON in `dir`; returns the path, or undefined when it cannot. */
export function saveEvent(dir: string, prefix: string, e: Event): string | undefined {
  const json = JSON.stringify(e, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v));
  const path = join(dir, `${prefix}-${createHash('sha256').update(json).digest('hex').slice(0, 12)}.json`);
  try {
    writeFileSync(path, json);
    return path;
  } catch {
    return undefined;
  }
}
