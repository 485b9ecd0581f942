/**
 * YAML text -> a small located tree (maps, sequences, scalars, each with its 1-based line).
 *
 * The compiler works on this tree rather than on plain JS values so that every problem can name
 * the line of the key or value at fault, including after collection merging (action: global), where
 * merged keys keep the line they were written on.
 */
import { LineCounter, isAlias, isMap, isScalar, isSeq, parseAllDocuments } from 'yaml';
import type { Document, Node as YamlNode } from 'yaml';
import type { VigieProblem } from '../../common/errors.js';

export type ScalarValue = string | number | boolean | null;

export type YNode =
  | { kind: 'map'; line: number; entries: YEntry[] }
  | { kind: 'seq'; line: number; items: YNode[] }
  /** `text` is the source text of a plain number (`0445`, `1.10`), for use where a string is meant. */
  | { kind: 'scalar'; line: number; value: ScalarValue; text?: string };

export interface YEntry {
  key: string;
  line: number;
  value: YNode;
}

export interface YDoc {
  /** Line of the document's first content (its first key, for a rule). */
  line: number;
  root: YNode | null;
}

export interface ParsedYaml {
  docs: YDoc[];
  problems: VigieProblem[];
}

/** Aliases are resolved; this bounds alias chains that refer to each other. */
const MAX_DEPTH = 64;

export function parseYamlDocs(file: string, text: string): ParsedYaml {
  const lineCounter = new LineCounter();
  const problems: VigieProblem[] = [];
  const docs: YDoc[] = [];
  const lineOf = (offset: number | undefined, fallback: number): number =>
    offset === undefined ? fallback : lineCounter.linePos(offset).line;
  const parsed = parseAllDocuments(text, { lineCounter, prettyErrors: true });
  for (const doc of parsed) {
    if (doc.errors.length > 0) {
      for (const err of doc.errors) {
        const line = err.linePos?.[0].line ?? lineOf(err.pos[0], 1);
        problems.push({
          code: 'VIGIE_RULE_PARSE',
          message: `invalid YAML: ${err.message.split('\n')[0] ?? err.code}`,
          location: { file, line },
        });
      }
      continue;
    }
    const contents = doc.contents;
    const line = lineOf(contents?.range?.[0] ?? doc.range[0], 1);
    const root = contents === null ? null : convert(contents, doc, line, lineOf, 0);
    if (root === undefined) {
      problems.push({ code: 'VIGIE_RULE_PARSE', message: 'unsupported YAML construct (complex key or alias loop)', location: { file, line } });
      continue;
    }
    docs.push({ line, root });
  }
  return { docs, problems };
}

type LineOf = (offset: number | undefined, fallback: number) => number;

function convert(node: unknown, doc: Document, fallbackLine: number, lineOf: LineOf, depth: number): YNode | undefined {
  if (depth > MAX_DEPTH) return undefined;
  if (isAlias(node)) {
    const target = node.resolve(doc);
    return target === undefined ? undefined : convert(target, doc, lineOf(node.range?.[0], fallbackLine), lineOf, depth + 1);
  }
  const line = lineOf((node as YamlNode | null)?.range?.[0], fallbackLine);
  if (isMap(node)) {
    const entries: YEntry[] = [];
    for (const pair of node.items) {
      const key = pair.key;
      if (!isScalar(key) || typeof key.value === 'object') return undefined;
      const keyLine = lineOf(key.range?.[0], line);
      const value = pair.value === null ? { kind: 'scalar' as const, line: keyLine, value: null } : convert(pair.value, doc, keyLine, lineOf, depth + 1);
      if (value === undefined) return undefined;
      entries.push({ key: String(key.value), line: keyLine, value });
    }
    return { kind: 'map', line, entries };
  }
  if (isSeq(node)) {
    const items: YNode[] = [];
    for (const item of node.items) {
      const value = convert(item, doc, line, lineOf, depth + 1);
      if (value === undefined) return undefined;
      items.push(value);
    }
    return { kind: 'seq', line, items };
  }
  if (isScalar(node)) {
    const v = node.value;
    if (typeof v === 'number') {
      const plain = node.type === 'PLAIN' && node.source !== undefined ? node.source : undefined;
      return plain === undefined ? { kind: 'scalar', line, value: v } : { kind: 'scalar', line, value: v, text: plain };
    }
    if (typeof v === 'string' || typeof v === 'boolean' || v === null) return { kind: 'scalar', line, value: v };
    if (typeof v === 'bigint') return { kind: 'scalar', line, value: String(v) };
    return { kind: 'scalar', line, value: String(v) };
  }
  return undefined;
}

/** The entry for `key` in a map node, if any. */
export function entry(node: YNode | null | undefined, key: string): YEntry | undefined {
  return node?.kind === 'map' ? node.entries.find((e) => e.key === key) : undefined;
}

/** A scalar entry's value as a string (numbers and booleans as written), or undefined. */
export function scalarText(node: YNode | undefined): string | undefined {
  if (node?.kind !== 'scalar' || node.value === null) return undefined;
  if (typeof node.value === 'number' && node.text !== undefined) return node.text;
  return String(node.value);
}
