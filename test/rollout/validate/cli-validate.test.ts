/**
 * `vigie rollout validate` through the rollout command's dispatcher, in process: real keys, a
 * signed bundle, exit codes 0 (passed), 1 (blocked) and 2 (usage), and the report as the last
 * line of stdout with --json.
 */
import { join } from 'node:path';
import { writeFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { command } from '../../../cli/commands/rollout.js';
import { defaultPack, writePackFile } from '../../../signatures/pack/index.js';
import { tempDir } from '../../helpers/fixtures.js';
import { runCommand } from '../../helpers/cli-run.js';
import { pack } from '../../helpers/packs.js';
import { floodRule, packBytes } from './fixtures.js';

const dir = tempDir('rollout-validate-cli');
afterAll(() => dir.remove());

const vigie = (...argv: string[]) => runCommand(command, [...argv]);

const keys = join(dir.path, 'keys');
const small = ['--archive', join(dir.path, 'no-archive'), '--max-events', '2000', '--fuzz', '30'];

describe('vigie rollout validate', () => {
  it('passes a signed bundle of the default pack (exit 0), table then the JSON report last', async () => {
    expect((await vigie('keys', 'init', '--dir', keys)).code).toBe(0);
    const packFile = join(dir.path, 'pack.json');
    writePackFile(packFile, { ...defaultPack(), version: '0.2.0' });
    const bundle = join(dir.path, 'pack.vbundle');
    const made = await vigie('bundle', '--kind', 'signatures', '--in', packFile, '--out', bundle, '--keys', keys);
    expect(made.code, made.err).toBe(0);
    const r = await vigie('validate', bundle, '--root', join(keys, 'root.json'), ...small, '--json');
    expect(r.code, r.out).toBe(0);
    expect(r.out).toMatch(/PASS\s+bundle/);
    expect(r.out).toMatch(/PASSED/);
    expect(r.json).toMatchObject({ blocked: false, bundle: { kind: 'signatures', name: 'vigie-default', version: '0.2.0' }, corpus: { simulated: true, events: 2000 } });
    expect(r.json.checks.map((c: { name: string }) => c.name)).toEqual(['bundle', 'content', 'schema', 'compile', 'corpus', 'load', 'replay', 'detections', 'cpu', 'fuzz']);

    // The same bundle without its root: nothing can vouch for it.
    const noRoot = await vigie('validate', bundle, '--root', join(dir.path, 'missing-root.json'), ...small);
    expect(noRoot.code).toBe(1);
    expect(noRoot.out).toMatch(/BLOCK\s+bundle\s+VIGIE_TRUST_INVALID/);
  });

  it('blocks a raw flood pack (exit 1) and says which check', async () => {
    const file = join(dir.path, 'flood.json');
    writeFileSync(file, packBytes(pack('9.0.0', [floodRule('r-flood')])));
    const r = await vigie('validate', file, ...small, '--json');
    expect(r.code).toBe(1);
    expect(r.json.blocked).toBe(true);
    expect(r.out).toMatch(/BLOCKED \(VIGIE_VALIDATION_BLOCKED\) by detections/);
    expect(r.json.checks[0]).toMatchObject({ name: 'bundle', verdict: 'warn' });
  });

  it('exits 2 on usage errors', async () => {
    expect((await vigie('validate')).code).toBe(2);
    expect((await vigie('validate', 'a', 'b')).code).toBe(2);
    expect((await vigie('validate', 'x.json', '--fuzz', 'many')).code).toBe(2);
    expect((await vigie('validate', 'x.json', '--time-limit-ms', '0')).code).toBe(2);
    expect((await vigie('validate', join(dir.path, 'nothing.json'))).code).toBe(2);
  });
});
