/**
 * Readers for Sysmon field values. Sysmon renders every EventData value as text ("4312", "true",
 * "-"), but log shippers re-type some of them (nxlog turns a few into JSON numbers), so each
 * reader accepts both. Sysmon writes "-" for "no value": it reads as absent.
 */

export type Fields = Readonly<Record<string, unknown>>;

/** A text field: undefined when absent, empty or "-". Numbers and booleans are rendered. */
export function text(fields: Fields, name: string): string | undefined {
  const v = fields[name];
  if (typeof v === 'string') return v === '' || v === '-' ? undefined : v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return undefined;
}

/** Sentinel returned by `uint` for a value that is present but not an unsigned integer. */
export const INVALID = -1;

/**
 * An unsigned 32-bit integer field (pid, port, status): undefined when absent, INVALID when present
 * but not a decimal integer in range.
 */
export function uint(fields: Fields, name: string): number | undefined {
  const v = fields[name];
  if (v === undefined || v === null || v === '' || v === '-') return undefined;
  if (typeof v === 'number') return Number.isInteger(v) && v >= 0 && v <= 0xffffffff ? v : INVALID;
  if (typeof v !== 'string' || !/^\d{1,10}$/.test(v)) return INVALID;
  const n = Number(v);
  return n <= 0xffffffff ? n : INVALID;
}

/** A boolean field ("true"/"false" in Sysmon, sometimes a JSON boolean): undefined when absent or other. */
export function bool(fields: Fields, name: string): boolean | undefined {
  const v = fields[name];
  if (typeof v === 'boolean') return v;
  if (typeof v === 'string') {
    const s = v.toLowerCase();
    if (s === 'true') return true;
    if (s === 'false') return false;
  }
  return undefined;
}

const TIME_RE = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(Z|[+-]\d{2}:?\d{2})?$/;

/**
 * Parses Sysmon's UtcTime ("2020-10-21 18:43:55.123") and ISO 8601 stamps with up to nine
 * fractional digits ("2022-05-13T08:54:05.1230000Z", "...20.399931000Z") to ms since the epoch.
 * A stamp without a zone is UTC (that is what UtcTime means). Fractions below 1 ms are truncated.
 * Returns undefined for anything else, including impossible dates.
 */
export function parseUtcTime(s: string): number | undefined {
  const m = TIME_RE.exec(s);
  if (!m) return undefined;
  const [, y, mo, d, h, mi, sec, frac, zone] = m;
  const month = Number(mo);
  const day = Number(d);
  const hour = Number(h);
  const minute = Number(mi);
  const second = Number(sec);
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 60) return undefined;
  const ms = frac ? Number(frac.slice(0, 3).padEnd(3, '0')) : 0;
  let t = Date.UTC(Number(y), month - 1, day, hour, minute, second, ms);
  if (new Date(t).getUTCDate() !== day) return undefined; // 2021-02-30 and the like
  if (zone && zone !== 'Z') {
    const sign = zone[0] === '-' ? -1 : 1;
    const digits = zone.slice(1).replace(':', '');
    t -= sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2))) * 60_000;
  }
  return Number.isFinite(t) ? t : undefined;
}

/** The first of `names` that holds a parsable time, as ms since the epoch. */
export function firstTime(fields: Fields, names: readonly string[]): number | undefined {
  for (const name of names) {
    const v = fields[name];
    if (typeof v !== 'string') continue;
    const t = parseUtcTime(v);
    if (t !== undefined) return t;
  }
  return undefined;
}
