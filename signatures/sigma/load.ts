/**
 * The one module of the Sigma compiler that touches the file system: reads rule sources from
 * directories (recursively, in sorted order, so packs build reproducibly), single files and
 * .tar.gz / .tgz archives. Parsing stays in the pure modules.
 *
 * A file inside an archive is named `<archive path>/<entry name>`, e.g.
 * `rules.tar.gz/rules/windows/process_creation/x.yml`, so that problems point into the archive.
 */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import type { Result } from '../../common/errors.js';
import { fail, ok } from '../../common/errors.js';
import { readTar } from './tar.js';

export interface RuleSource {
  file: string;
  text: string;
}

const RULE_FILE = /\.ya?ml$/i;
const ARCHIVE = /\.(tar\.gz|tgz)$/i;

export function loadRuleSources(paths: readonly string[]): Result<RuleSource[]> {
  const sources: RuleSource[] = [];
  for (const path of paths) {
    const r = loadPath(path);
    if (!r.ok) return r;
    sources.push(...r.value);
  }
  return ok(sources);
}

function loadPath(path: string): Result<RuleSource[]> {
  try {
    const stat = statSync(path);
    if (stat.isDirectory()) {
      return ok(listRuleFiles(path).map((file) => ({ file, text: decode(readFileSync(file)) })));
    }
    if (ARCHIVE.test(path)) return loadArchive(path, readFileSync(path));
    return ok([{ file: path, text: decode(readFileSync(path)) }]);
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    return fail('VIGIE_RULE_PARSE', `cannot read rules from ${path}: ${e.code ?? e.message}`, { file: path });
  }
}

/** Rule files under `dir`, depth first, entries sorted by name at every level. */
function listRuleFiles(dir: string): string[] {
  const out: string[] = [];
  const names = readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const d of names) {
    const full = join(dir, d.name);
    if (d.isDirectory()) out.push(...listRuleFiles(full));
    else if (d.isFile() && RULE_FILE.test(d.name)) out.push(full);
  }
  return out;
}

function loadArchive(path: string, compressed: Buffer): Result<RuleSource[]> {
  let archive: Buffer;
  try {
    archive = gunzipSync(compressed);
  } catch (err) {
    return fail('VIGIE_RULE_PARSE', `cannot decompress ${path}: ${(err as Error).message}`, { file: path });
  }
  const entries = readTar(archive, path);
  if (!entries.ok) return entries;
  return ok(
    entries.value
      .filter((e) => RULE_FILE.test(e.name))
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
      .map((e) => ({ file: `${path}/${e.name.replace(/^\.\//, '')}`, text: decode(e.data) })),
  );
}

/** UTF-8 text without a byte order mark. */
function decode(bytes: Buffer): string {
  const text = bytes.toString('utf8');
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}
