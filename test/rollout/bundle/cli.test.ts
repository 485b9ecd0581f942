/**
 * `vigie rollout keys init -> bundle -> verify` end to end in a temp dir, through the rollout
 * command's dispatcher (in process): real keys and files, then a flipped byte refused with its code.
 */
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { command } from '../../../cli/commands/rollout.js';
import { defaultPack, writePackFile } from '../../../signatures/pack/index.js';
import { tempDir } from '../../helpers/fixtures.js';
import { runCommand } from '../../helpers/cli-run.js';

const dir = tempDir('rollout-cli');
afterAll(() => dir.remove());

const vigie = (...argv: string[]) => runCommand(command, [...argv]);

const keys = join(dir.path, 'keys');
const root = join(keys, 'root.json');

describe('vigie rollout keys|bundle|verify', () => {
  it('creates a trust root with private keys readable by the owner only, and refuses to overwrite it', async () => {
    const init = await vigie('keys', 'init', '--dir', keys, '--json');
    expect(init.code, init.err).toBe(0);
    expect(init.json.roles.root.threshold).toBe(2);
    expect(init.json.roles.root.keyids).toHaveLength(3);
    expect(init.json.roles.release.keyids).toHaveLength(2);
    const names = readdirSync(keys).sort();
    expect(names).toEqual(['directive-1.key', 'release-1.key', 'release-2.key', 'root-1.key', 'root-2.key', 'root-3.key', 'root.json']);
    for (const n of names.filter((x) => x.endsWith('.key'))) expect(statSync(join(keys, n)).mode & 0o777).toBe(0o600);
    expect(readFileSync(root, 'utf8')).not.toContain('privateKey');

    const again = await vigie('keys', 'init', '--dir', keys);
    expect(again.code).toBe(1);
    expect(again.err).toMatch(/refusing to overwrite/);
    expect(JSON.parse(readFileSync(root, 'utf8')).signed.roles.root.keyids).toEqual(init.json.roles.root.keyids);

    const forced = await vigie('keys', 'init', '--dir', keys, '--force', '--release-keys', '1', '--json');
    expect(forced.code).toBe(0);
    expect(forced.json.roles.root.keyids).not.toEqual(init.json.roles.root.keyids);
    expect(existsSync(join(keys, 'release-2.key'))).toBe(false);
  });

  it('bundles the default pack and the shipped model, verifies them, and refuses a flipped byte', async () => {
    const pack = join(dir.path, 'pack.json');
    expect(writePackFile(pack, defaultPack()).ok).toBe(true);
    const out = join(dir.path, 'pack.vbundle');
    const b = await vigie('bundle', '--kind', 'signatures', '--in', pack, '--out', out, '--keys', keys, '--json');
    expect(b.code, b.err).toBe(0);
    expect(b.json).toMatchObject({ name: 'vigie-default', version: '0.1.0', featureSchema: 'vigie.fields/1', signatures: 1 });

    const ok = await vigie('verify', out, '--root', root, '--json', '--sensor-version', '0.1.0', '--feature-schema', 'vigie.fields/1');
    expect(ok.code, ok.out).toBe(0);
    expect(ok.json).toMatchObject({ verified: true, problems: [], manifest: { kind: 'signatures', name: 'vigie-default', version: '0.1.0' } });
    const text = await vigie('verify', out, '--root', root);
    expect(text.out).toMatch(/name\s+vigie-default/);
    expect(text.out).toContain('verified against');

    const replay = await vigie('verify', out, '--root', root, '--floor', '0.1.0', '--json');
    expect(replay.code).toBe(1);
    expect(replay.json.problems.map((p: { code: string }) => p.code)).toEqual(['VIGIE_BUNDLE_ROLLBACK']);

    const bytes = readFileSync(out);
    bytes[bytes.length - 10]! ^= 0x20;
    const flipped = join(dir.path, 'flipped.vbundle');
    writeFileSync(flipped, bytes);
    const bad = await vigie('verify', flipped, '--root', root, '--json');
    expect(bad.code).toBe(1);
    expect(bad.json.verified).toBe(false);
    expect(bad.json.problems[0]).toMatchObject({ code: 'VIGIE_BUNDLE_DIGEST', location: { file: flipped, field: 'signed.sha256' } });
    const badText = await vigie('verify', flipped, '--root', root);
    expect(badText.out).toMatch(/VIGIE_BUNDLE_DIGEST.*REFUSED/s);

    const model = join(dir.path, 'model.vbundle');
    const m = await vigie('bundle', '--kind', 'model', '--in', new URL('../../../models/default/process.onnx', import.meta.url).pathname, '--out', model, '--keys', keys, '--expires-days', '7', '--json');
    expect(m.code, m.err).toBe(0);
    expect(m.json).toMatchObject({ kind: 'model', name: 'vigie-default-process', featureSchema: 'vigie.features/1' });
    const mv = await vigie('verify', model, '--root', root, '--json', '--feature-schema', 'vigie.features/2');
    expect(mv.json.problems.map((p: { code: string }) => p.code)).toEqual(['VIGIE_BUNDLE_INCOMPATIBLE']);
  });

  it('refuses a bundle signed by keys of another root, and a garbage file', async () => {
    const other = join(dir.path, 'other-keys');
    expect((await vigie('keys', 'init', '--dir', other)).code).toBe(0);
    const pack = join(dir.path, 'pack.json');
    const out = join(dir.path, 'other.vbundle');
    // Signed with `other` release keys, checked against `keys`: bundle writes it (other/root.json agrees)...
    expect((await vigie('bundle', '--kind', 'signatures', '--in', pack, '--out', out, '--keys', other)).code).toBe(0);
    const v = await vigie('verify', out, '--root', root, '--json');
    expect(v.code).toBe(1);
    expect(v.json.problems[0].code).toBe('VIGIE_BUNDLE_BAD_SIGNATURE');
    const junk = join(dir.path, 'junk.vbundle');
    writeFileSync(junk, 'hello');
    expect((await vigie('verify', junk, '--root', root, '--json')).json.problems[0]).toMatchObject({ code: 'VIGIE_BUNDLE_INVALID', location: { offset: 5 } });
    // A root that is not a root.
    expect((await vigie('verify', out, '--root', pack, '--json')).json.problems[0].code).toBe('VIGIE_TRUST_INVALID');
  });

  it('exits 2 on usage errors', async () => {
    expect((await vigie('bundle', '--kind', 'signatures', '--out', 'x')).code).toBe(2);
    expect((await vigie('bundle', '--kind', 'firmware', '--in', 'a', '--out', 'b')).code).toBe(2);
    expect((await vigie('verify', '--nope', 'x')).code).toBe(2);
    expect((await vigie('verify')).code).toBe(2);
    expect((await vigie('keys', 'init', '--dir', join(dir.path, 'k2'), '--root-keys', '2', '--root-threshold', '3')).code).toBe(2);
    expect((await vigie('keys', 'init', '--dir', join(dir.path, 'k2'), '--expires-days', 'soon')).code).toBe(2);
    expect((await vigie('keys')).code).toBe(2);
    expect(existsSync(join(dir.path, 'k2'))).toBe(false);
  });
});
