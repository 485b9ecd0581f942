/** Shared by the Sigma compiler tests: one-rule compilation and a hand-made tar.gz writer. */
import { gzipSync } from 'node:zlib';
import { expect } from 'vitest';
import type { CompiledRule, Node, Test } from '../../../signatures/ir.js';
import type { CompileOutcome } from '../../../signatures/sigma/index.js';
import { compileSigma } from '../../../signatures/sigma/index.js';

/** Compiles one YAML text as file `rule.yml`. */
export function compileText(text: string, file = 'rule.yml'): CompileOutcome {
  return compileSigma([{ file, text }]);
}

/**
 * A process_creation rule around `detection` (YAML lines indented by 4, under `detection:`).
 * The detection block starts on line 8 of the rule text, so its first key is on line 8.
 */
export function rule(detection: string, category = 'process_creation'): string {
  return [
    'title: Test rule',
    'id: 11111111-2222-3333-4444-555555555555',
    'status: test',
    'logsource:',
    `    category: ${category}`,
    '    product: windows',
    'detection:',
    ...detection.replace(/^\n/, '').replace(/\s+$/, '').split('\n'),
    'level: high',
    '',
  ].join('\n');
}

/** Compiles `text`, expects exactly one rule and no problems, and returns it. */
export function compileOk(text: string): CompiledRule {
  const out = compileText(text);
  expect(out.problems).toEqual([]);
  expect(out.rules).toHaveLength(1);
  return out.rules[0] as CompiledRule;
}

/** The condition of a one-rule text. */
export function conditionOf(text: string): Node {
  return compileOk(text).condition;
}

/** Compiles `selection: { <key>: <value> }` and returns the condition. */
export function item(key: string, valueYaml: string, category = 'process_creation'): Node {
  return conditionOf(rule(`    selection:\n        ${key}: ${valueYaml}\n    condition: selection`, category));
}

export function field(f: string, test: Test): Node {
  return { op: 'field', field: f, test } as Node;
}

export function str(mode: 'eq' | 'contains' | 'startswith' | 'endswith', value: string, cased = false): Test {
  return { t: 'str', mode, value, cased };
}

/** Problems of a text as [code, line] pairs, for compact assertions. */
export function problemsOf(text: string): [string, number | undefined][] {
  return compileText(text).problems.map((p) => [p.code, p.location?.line]);
}

export interface TarMember {
  name: string;
  data?: string | Buffer;
  /** '0' file (default), '5' directory, 'L' GNU long name, 'x' pax header. */
  type?: string;
}

/** One ustar header block. Names longer than 100 bytes go in the prefix field (split at a '/'). */
export function tarHeader(name: string, size: number, type: string): Buffer {
  const h = Buffer.alloc(512, 0);
  let prefix = '';
  let base = name;
  if (Buffer.byteLength(name) > 100) {
    const cut = name.lastIndexOf('/', 155);
    prefix = name.slice(0, cut);
    base = name.slice(cut + 1);
  }
  h.write(base.slice(0, 100), 0, 'utf8');
  h.write('0000644\0', 100, 'latin1');
  h.write('0000000\0', 108, 'latin1');
  h.write('0000000\0', 116, 'latin1');
  h.write(`${size.toString(8).padStart(11, '0')}\0`, 124, 'latin1');
  h.write('00000000000\0', 136, 'latin1');
  h.write(type, 156, 'latin1');
  h.write('ustar\0', 257, 'latin1');
  h.write('00', 263, 'latin1');
  h.write(prefix, 345, 'utf8');
  h.fill(0x20, 148, 156);
  let sum = 0;
  for (const b of h) sum += b;
  h.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 'latin1');
  return h;
}

/** A tar archive of `members` (each padded to 512 bytes), ended by two zero blocks. */
export function makeTar(members: readonly TarMember[]): Buffer {
  const blocks: Buffer[] = [];
  for (const m of members) {
    const data = typeof m.data === 'string' ? Buffer.from(m.data, 'utf8') : (m.data ?? Buffer.alloc(0));
    blocks.push(tarHeader(m.name, data.length, m.type ?? '0'), data, Buffer.alloc((512 - (data.length % 512)) % 512));
  }
  blocks.push(Buffer.alloc(1024));
  return Buffer.concat(blocks);
}

export function makeTarGz(members: readonly TarMember[]): Buffer {
  return gzipSync(makeTar(members));
}

/** A pax extended header body with one `path` record ("<len> path=<name>\n", len counts itself). */
export function paxPath(name: string): string {
  const body = ` path=${name}\n`;
  let len = body.length + 1;
  while (`${len}${body}`.length !== len) len++;
  return `${len}${body}`;
}
