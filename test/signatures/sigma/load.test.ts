/** loadRuleSources: directories, single files and .tar.gz archives (built here, byte by byte). */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { compileSigma, loadRuleSources } from '../../../signatures/sigma/index.js';
import { readTar } from '../../../signatures/sigma/tar.js';
import { tempDir } from '../../helpers/fixtures.js';
import { makeTar, makeTarGz, paxPath, rule } from './helpers.js';

const RULE = rule('    s:\n        Image: a\n    condition: s');
const dir = tempDir('sigma-load');
afterAll(() => dir.remove());

describe('tar reader', () => {
  it('reads regular files, skips directories and other entries', () => {
    const tar = makeTar([
      { name: 'rules/', type: '5' },
      { name: 'rules/a.yml', data: 'A' },
      { name: 'rules/link', type: '2' },
      { name: 'rules/b.yml', data: 'B'.repeat(1000) },
    ]);
    const r = readTar(tar, 't.tar');
    expect(r.ok && r.value.map((e) => [e.name, e.data.length])).toEqual([
      ['rules/a.yml', 1],
      ['rules/b.yml', 1000],
    ]);
  });

  it('uses GNU long names, pax paths and the ustar prefix', () => {
    const long = `rules/${'deep/'.repeat(30)}long_rule_name.yml`;
    const tar = makeTar([
      { name: '././@LongLink', type: 'L', data: `${long}\0` },
      { name: long.slice(0, 99), data: 'L' },
      { name: 'PaxHeaders/x', type: 'x', data: paxPath('rules/pax name.yml') },
      { name: 'rules/truncated', data: 'P' },
      { name: 'pax_global_header', type: 'g', data: paxPath('ignored') },
      { name: `${'p'.repeat(120)}/ustar.yml`, data: 'U' },
    ]);
    const r = readTar(tar, 't.tar');
    expect(r.ok && r.value.map((e) => [e.name, e.data.toString()])).toEqual([
      [long, 'L'],
      ['rules/pax name.yml', 'P'],
      [`${'p'.repeat(120)}/ustar.yml`, 'U'],
    ]);
  });

  it('reports a corrupt header', () => {
    const tar = makeTar([{ name: 'a.yml', data: 'x' }]);
    tar[0] = 0x41; // breaks the checksum
    const r = readTar(tar, 't.tar');
    expect(!r.ok && [r.error.code, r.error.location]).toEqual(['VIGIE_RULE_PARSE', { file: 't.tar', offset: 0 }]);
  });

  it('reports a truncated archive', () => {
    const tar = makeTar([{ name: 'a.yml', data: 'x'.repeat(2000) }]).subarray(0, 1024);
    expect(readTar(tar, 't.tar').ok).toBe(false);
  });
});

describe('loadRuleSources', () => {
  it('reads .yml and .yaml files from a directory tree, sorted, and skips other files', () => {
    const root = join(dir.path, 'tree');
    mkdirSync(join(root, 'b', 'sub'), { recursive: true });
    mkdirSync(join(root, 'a'), { recursive: true });
    writeFileSync(join(root, 'b', 'sub', 'z.yaml'), RULE);
    writeFileSync(join(root, 'b', 'x.yml'), RULE);
    writeFileSync(join(root, 'a', 'y.yml'), `\ufeff${RULE}`);
    writeFileSync(join(root, 'a', 'README.md'), '# not a rule');
    const r = loadRuleSources([root]);
    expect(r.ok && r.value.map((s) => s.file)).toEqual([join(root, 'a', 'y.yml'), join(root, 'b', 'sub', 'z.yaml'), join(root, 'b', 'x.yml')]);
    expect(r.ok && r.value[0]?.text).toBe(RULE); // byte order mark removed
  });

  it('reads a single file and a .tar.gz archive, naming files inside the archive', () => {
    const single = join(dir.path, 'single.yml');
    writeFileSync(single, RULE);
    const archive = join(dir.path, 'rules.tar.gz');
    writeFileSync(
      archive,
      makeTarGz([
        { name: 'LICENSE', data: 'DRL' },
        { name: 'rules/windows/b.yml', data: RULE.replace('Image: a', 'Image: b') },
        { name: 'rules/windows/a.yml', data: RULE },
        { name: 'rules/bad.yml', data: 'title: [' },
      ]),
    );
    const r = loadRuleSources([single, archive]);
    expect(r.ok && r.value.map((s) => s.file)).toEqual([
      single,
      `${archive}/rules/bad.yml`,
      `${archive}/rules/windows/a.yml`,
      `${archive}/rules/windows/b.yml`,
    ]);
    if (!r.ok) return;
    const out = compileSigma(r.value);
    expect(out.rules).toHaveLength(3);
    expect(out.problems.map((p) => [p.code, p.location?.file])).toEqual([['VIGIE_RULE_PARSE', `${archive}/rules/bad.yml`]]);
  });

  it('accepts .tgz and reports unreadable paths and bad gzip data', () => {
    const tgz = join(dir.path, 'rules.tgz');
    writeFileSync(tgz, makeTarGz([{ name: 'r.yml', data: RULE }]));
    expect(loadRuleSources([tgz]).ok).toBe(true);
    const missing = loadRuleSources([join(dir.path, 'nope')]);
    expect(!missing.ok && missing.error.code).toBe('VIGIE_RULE_PARSE');
    const notGzip = join(dir.path, 'broken.tar.gz');
    writeFileSync(notGzip, 'plain text');
    const broken = loadRuleSources([notGzip]);
    expect(!broken.ok && broken.error.location?.file).toBe(notGzip);
    const corrupt = join(dir.path, 'corrupt.tgz');
    writeFileSync(corrupt, gzipSync(Buffer.alloc(600, 7)));
    expect(loadRuleSources([corrupt]).ok).toBe(false);
  });
});
