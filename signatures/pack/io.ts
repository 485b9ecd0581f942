/** Reading and writing pack files: JSON, validated on read, written atomically. */
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { fail, ok, type Result, type VigieProblem } from '../../common/errors.js';
import type { SignaturePack } from './format.js';
import { asPack, validatePack } from './validate.js';

export type PackRead = { ok: true; value: SignaturePack } | { ok: false; problems: VigieProblem[] };

/** Parses pack JSON text; every structural problem is reported. */
export function parsePack(text: string, file: string): PackRead {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    return { ok: false, problems: [{ code: 'VIGIE_PACK_INVALID', message: `not JSON: ${(e as Error).message}`, location: { file } }] };
  }
  const problems = validatePack(value, file);
  return problems.length > 0 ? { ok: false, problems } : { ok: true, value: asPack(value) };
}

export function readPackFile(file: string): PackRead {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    return { ok: false, problems: [{ code: 'VIGIE_PACK_INVALID', message: `cannot read: ${(e as Error).message}`, location: { file } }] };
  }
  return parsePack(text, file);
}

/** Stable text: two compiles of the same rules differ only in `created`. */
export function packText(pack: SignaturePack): string {
  return `${JSON.stringify(pack, null, 1)}\n`;
}

export function writePackFile(file: string, pack: SignaturePack): Result<void> {
  try {
    const tmp = `${file}.tmp-${process.pid}`;
    writeFileSync(tmp, packText(pack));
    renameSync(tmp, file);
    return ok(undefined);
  } catch (e) {
    return fail('VIGIE_PACK_INVALID', `cannot write: ${(e as Error).message}`, { file });
  }
}
