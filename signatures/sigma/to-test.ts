/**
 * The last step of a value: a modified Sigma value -> one IR test (ir.ts).
 *
 * Strings become the cheapest equivalent test: no wildcard -> `str eq`; wildcards only at the ends
 * (`*foo*`, `foo*`, `*foo`) -> contains / startswith / endswith; anything else -> `glob`. The IR's
 * glob has no escapes, so a value mixing wildcards with literal `*` or `?` becomes an anchored
 * regular expression instead. Unless `cased`, string values are lower-cased (ir.ts: the matcher
 * compares them with the lower-cased field).
 */
import type { Test } from '../ir.js';
import type { VigieField } from '../fields/vigie-fields.js';
import { VIGIE_FIELDS } from '../fields/vigie-fields.js';
import type { ModError, Val } from './modifiers.js';
import type { SigmaString } from './sigma-string.js';
import { endsWithMany, hasWildcards, normalize, plainText, startsWithMany } from './sigma-string.js';
import { translateRegex } from './regex.js';

export type Target =
  | { kind: 'field'; field: VigieField | undefined }
  | { kind: 'keyword' };

export interface TestOptions {
  cased: boolean;
  /** Whether the value came through modifiers (a plain '' means "empty", a modified one does not). */
  modified: boolean;
  /** Maps the field a `fieldref` names; an error when it is not mapped. */
  resolveField(name: string): VigieField | ModError;
}

export function toTest(v: Val, target: Target, opts: TestOptions): Test | ModError {
  const numeric = target.kind === 'field' && target.field !== undefined && VIGIE_FIELDS[target.field].type === 'number';
  switch (v.k) {
    case 'str': {
      if (target.kind === 'keyword') return stringTest(asKeyword(v.s), opts.cased);
      if (v.s.length === 0 && !opts.modified) return { t: 'empty' };
      if (numeric && !hasWildcards(v.s)) {
        const n = toNumber(plainText(v.s));
        if (n !== undefined) return { t: 'num', cmp: 'eq', value: n };
      }
      return stringTest(v.s, opts.cased);
    }
    case 'num':
      if (target.kind === 'keyword') return stringTest(asKeyword([{ lit: v.text }]), opts.cased);
      if (numeric) return { t: 'num', cmp: 'eq', value: v.n };
      return { t: 'str', mode: 'eq', value: v.text, cased: opts.cased };
    case 'bool':
      if (target.kind === 'keyword') return stringTest(asKeyword([{ lit: String(v.b) }]), opts.cased);
      return { t: 'str', mode: 'eq', value: String(v.b), cased: opts.cased };
    case 'null':
      if (target.kind === 'keyword') return { code: 'VIGIE_RULE_COMPILE', message: 'a keyword cannot be null' };
      return { t: 'empty' };
    case 're': {
      const translated = translateRegex(v.source, v.flags);
      if (!translated.ok) return { code: 'VIGIE_RULE_COMPILE', message: translated.message };
      return { t: 're', source: translated.source, flags: translated.flags };
    }
    default:
      break;
  }
  if (target.kind === 'keyword') {
    return { code: 'VIGIE_RULE_COMPILE', message: `a keyword (a value without a field) cannot be ${v.k === 'cidr' ? 'a CIDR network' : `an '${v.k}' test`}` };
  }
  switch (v.k) {
    case 'cidr':
      return { t: 'cidr', cidr: v.cidr };
    case 'cmp':
      return { t: 'num', cmp: v.cmp, value: v.n };
    case 'exists':
      return { t: 'exists', value: v.b };
    case 'fieldref': {
      const other = opts.resolveField(v.name);
      if (typeof other !== 'string') return other;
      const mode = v.starts && v.ends ? 'contains' : v.starts ? 'startswith' : v.ends ? 'endswith' : 'eq';
      return { t: 'fieldref', other, mode, cased: opts.cased };
    }
  }
}

/** Keywords match anywhere in a field's text (as in full-text search), so they get `*...*`. */
function asKeyword(s: SigmaString): SigmaString {
  const parts = [...s];
  if (!startsWithMany(s)) parts.unshift({ wild: '*' });
  if (!endsWithMany(s)) parts.push({ wild: '*' });
  return normalize(parts);
}

function toNumber(text: string): number | undefined {
  const t = text.trim();
  return /^[-+]?\d+(\.\d+)?$/.test(t) ? Number(t) : undefined;
}

export function stringTest(s: SigmaString, cased: boolean): Test {
  const fold = (text: string): string => (cased ? text : text.toLowerCase());
  if (!hasWildcards(s)) return { t: 'str', mode: 'eq', value: fold(plainText(s)), cased };
  let start = 0;
  let end = s.length;
  while (start < end && startsWithMany(s.slice(start))) start++;
  while (end > start && endsWithMany(s.slice(start, end))) end--;
  const middle = s.slice(start, end);
  if (middle.length === 0) return { t: 'glob', pattern: '*', cased };
  if (!hasWildcards(middle)) {
    const value = fold(plainText(middle));
    const mode = start > 0 && end < s.length ? 'contains' : start > 0 ? 'endswith' : 'startswith';
    return { t: 'str', mode, value, cased };
  }
  if (s.some((p) => 'lit' in p && /[*?]/.test(p.lit))) {
    return { t: 're', source: globRegex(s), flags: cased ? '' : 'i' };
  }
  return { t: 'glob', pattern: fold(s.map((p) => ('lit' in p ? p.lit : p.wild)).join('')), cased };
}

/** An anchored regular expression equivalent to a Sigma string with wildcards. */
function globRegex(s: SigmaString): string {
  const body = s
    .map((p) => ('lit' in p ? p.lit.replace(/[\\^$.*+?()[\]{}|/]/g, '\\$&') : p.wild === '*' ? '[\\s\\S]*' : '[\\s\\S]'))
    .join('');
  return `^${body}$`;
}
