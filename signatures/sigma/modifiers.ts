/**
 * Sigma value modifiers (`Field|contains|all`), applied left to right to each value as pySigma
 * does: a modifier maps one value to one or more values (windash and base64offset expand; the
 * expansions of a value are alternatives, ORed). List-level modifiers (`all`, `cased`, `neq`) do
 * not transform values: the detection item reads them (detection-item.ts).
 *
 * Reference: https://sigmahq.io/docs/basics/modifiers.html and pySigma's sigma/modifiers.py.
 */
import type { ErrorCode } from '../../common/errors.js';
import type { ScalarValue } from './yaml-tree.js';
import type { SigmaString } from './sigma-string.js';
import { endsWithMany, hasWildcards, literal, normalize, parseSigmaString, plainText, startsWithMany } from './sigma-string.js';
import { base64, base64Offsets, utf16, valueBytes, windash } from './encodings.js';
import type { Utf16Kind } from './encodings.js';
import { parseCidr } from './cidr.js';

export type Compare = 'gt' | 'gte' | 'lt' | 'lte';

/** A value on its way through the modifiers. */
export type Val =
  /** `raw` is the text as written, kept until a modifier changes the value (`re` reads it). */
  | { k: 'str'; s: SigmaString; bytes: boolean; raw?: string }
  | { k: 'num'; n: number; text: string }
  | { k: 'bool'; b: boolean }
  | { k: 'null' }
  | { k: 're'; source: string; flags: string }
  | { k: 'cidr'; cidr: string }
  | { k: 'cmp'; cmp: Compare; n: number }
  | { k: 'exists'; b: boolean }
  | { k: 'fieldref'; name: string; starts: boolean; ends: boolean };

export interface ModError {
  code: ErrorCode;
  message: string;
}

/** Modifiers that change how a list of values is combined or tested, not the values. */
export const LIST_MODIFIERS: ReadonlySet<string> = new Set(['all', 'cased', 'neq']);

const UTF16: Readonly<Record<string, Utf16Kind>> = { wide: 'utf16le', utf16le: 'utf16le', utf16be: 'utf16be', utf16: 'utf16' };
const RE_FLAGS: Readonly<Record<string, string>> = { i: 'i', ignorecase: 'i', m: 'm', multiline: 'm', s: 's', dotall: 's' };
const TIME_PARTS = new Set(['minute', 'hour', 'day', 'week', 'month', 'year']);

export function initialValue(value: ScalarValue, text: string | undefined): Val {
  if (value === null) return { k: 'null' };
  if (typeof value === 'boolean') return { k: 'bool', b: value };
  if (typeof value === 'number') return { k: 'num', n: value, text: text ?? String(value) };
  return { k: 'str', s: parseSigmaString(value), bytes: false, raw: value };
}

/** `value` as a Sigma string, for modifiers that work on text (numbers and booleans as written). */
function asString(v: Val): Extract<Val, { k: 'str' }> | undefined {
  if (v.k === 'str') return v;
  if (v.k === 'num') return { k: 'str', s: literal(v.text), bytes: false, raw: v.text };
  if (v.k === 'bool') return { k: 'str', s: literal(String(v.b)), bytes: false, raw: String(v.b) };
  return undefined;
}

function asNumber(v: Val): number | undefined {
  if (v.k === 'num') return v.n;
  if (v.k === 'str' && !hasWildcards(v.s)) {
    const t = plainText(v.s).trim();
    if (/^[-+]?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?$/.test(t)) return Number(t);
  }
  return undefined;
}

function compileError(message: string): ModError {
  return { code: 'VIGIE_RULE_COMPILE', message };
}

function kindName(v: Val): string {
  const names: Record<Val['k'], string> = {
    str: 'a string', num: 'a number', bool: 'a boolean', null: 'null', re: 'a regular expression',
    cidr: 'a CIDR network', cmp: 'a comparison', exists: 'an exists test', fieldref: 'a field reference',
  };
  return names[v.k];
}

/**
 * Applies modifier `name` to one value. `position` is the number of value modifiers applied before
 * it (re, cidr and exists must come first: they read the value as written).
 */
export function applyModifier(name: string, v: Val, position: number): Val[] | ModError {
  const wrongType = (): ModError => compileError(`modifier '${name}' cannot apply to ${kindName(v)}`);
  const mustBeFirst = (): ModError | undefined =>
    position > 0 ? compileError(`modifier '${name}' must be the first value modifier`) : undefined;
  switch (name) {
    case 'contains':
    case 'startswith':
    case 'endswith': {
      if (v.k === 'fieldref') {
        return [{ ...v, starts: v.starts || name !== 'endswith', ends: v.ends || name !== 'startswith' }];
      }
      const s = asString(v);
      if (s === undefined) return wrongType();
      const parts = [...s.s];
      if (name !== 'startswith' && !startsWithMany(s.s)) parts.unshift({ wild: '*' });
      if (name !== 'endswith' && !endsWithMany(s.s)) parts.push({ wild: '*' });
      return [{ k: 'str', s: normalize(parts), bytes: s.bytes }];
    }
    case 'windash': {
      const s = asString(v);
      if (s === undefined) return wrongType();
      const expanded = windash(s.s);
      if (expanded === undefined) return compileError(`windash on '${plainText(s.s)}' expands to too many alternatives`);
      return expanded.map((e) => ({ k: 'str', s: e, bytes: s.bytes }));
    }
    case 'base64':
    case 'base64offset': {
      const s = asString(v);
      if (s === undefined) return wrongType();
      const data = valueBytes(s.s, s.bytes);
      if (data === undefined) return compileError(`modifier '${name}' cannot encode a value with wildcards ('${plainText(s.s)}')`);
      const texts = name === 'base64' ? [base64(data)] : base64Offsets(data);
      return texts.map((t) => ({ k: 'str', s: literal(t), bytes: false }));
    }
    case 're': {
      const first = mustBeFirst();
      if (first) return first;
      if (v.k === 'null') return wrongType();
      const source = v.k === 'str' ? (v.raw ?? plainText(v.s)) : v.k === 'num' ? v.text : v.k === 'bool' ? String(v.b) : undefined;
      return source === undefined ? wrongType() : [{ k: 're', source, flags: '' }];
    }
    case 'cidr': {
      const first = mustBeFirst();
      if (first) return first;
      const s = asString(v);
      if (s === undefined || hasWildcards(s.s)) return wrongType();
      const parsed = parseCidr(plainText(s.s));
      return parsed.ok ? [{ k: 'cidr', cidr: parsed.cidr }] : compileError(`cidr: ${parsed.message}`);
    }
    case 'exists': {
      const first = mustBeFirst();
      if (first) return first;
      const text = v.k === 'bool' ? String(v.b) : v.k === 'str' ? plainText(v.s).toLowerCase() : '';
      if (text !== 'true' && text !== 'false') return compileError(`modifier 'exists' needs true or false, not ${kindName(v)}`);
      return [{ k: 'exists', b: text === 'true' }];
    }
    case 'gt':
    case 'gte':
    case 'lt':
    case 'lte': {
      const n = asNumber(v);
      if (n === undefined || !Number.isFinite(n)) return compileError(`modifier '${name}' needs a number, not ${kindName(v)}`);
      return [{ k: 'cmp', cmp: name, n }];
    }
    case 'fieldref': {
      const s = asString(v);
      if (s === undefined) return wrongType();
      if (hasWildcards(s.s)) return compileError('a field reference cannot contain wildcards');
      return [{ k: 'fieldref', name: plainText(s.s), starts: false, ends: false }];
    }
    case 'expand':
      return { code: 'VIGIE_RULE_UNSUPPORTED', message: "modifier 'expand' (placeholders such as %Admins%) is not supported" };
    default:
      break;
  }
  const utf16Kind = UTF16[name];
  if (utf16Kind !== undefined) {
    const s = asString(v);
    if (s === undefined) return wrongType();
    return [{ k: 'str', s: utf16(s.s, utf16Kind), bytes: true }];
  }
  const flag = RE_FLAGS[name];
  if (flag !== undefined) {
    if (v.k !== 're') return compileError(`modifier '${name}' only applies after 're'`);
    return [{ ...v, flags: v.flags.includes(flag) ? v.flags : v.flags + flag }];
  }
  if (TIME_PARTS.has(name)) {
    return { code: 'VIGIE_RULE_UNSUPPORTED', message: `timestamp modifier '${name}' is not supported` };
  }
  return { code: 'VIGIE_RULE_UNSUPPORTED', message: `unknown modifier '${name}'` };
}
