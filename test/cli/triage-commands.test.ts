/** vigie alerts | tenants | users | tokens, run in-process on a real store file. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { unwrap } from '../../common/errors.js';
import { varPaths } from '../../common/identity.js';
import { AccessService } from '../../engine/access/index.js';
import { ALL_TENANTS, SqliteStore } from '../../engine/store/index.js';
import { AlertGrouper } from '../../engine/triage/index.js';
import { COMMANDS } from '../../cli/registry.js';
import { tempDir } from '../helpers/fixtures.js';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { detection, EXPLORER, OUTLOOK, phishing, PS, WORD } from '../engine/triage/fixtures.js';
import { attackArchive, attackDetections, STORED_AT } from '../engine/triage/telemetry.js';

async function vigie(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const [name, ...rest] = argv;
  const { command } = await COMMANDS[name!]!();
  let out = '';
  let err = '';
  const code = await command.run({ argv: rest, stdout: (t) => { out += t; }, stderr: (t) => { err += t; }, stopSignal: new Promise(() => {}) });
  return { code, out, err };
}

describe('triage and access commands', () => {
  let dir: ReturnType<typeof tempDir>;
  beforeEach(() => {
    dir = tempDir('cli-triage');
    const store = unwrap(SqliteStore.open(varPaths(dir.path).store));
    store.enroll({ sensorId: 's-beau', tenant: 'beaumont', host: 'BEAU-PC0042', publicKey: 'k', enrolledMs: 1 });
    new AlertGrouper(store, { windowMs: 1_800_000 }).ingest([...phishing(), ...phishing({ tenant: 'montclar', host: 'MONT-PC0001' })]);
    store.close();
  });
  afterEach(() => dir.remove());

  it('lists, shows, acknowledges, assigns, notes and resolves with an exception', async () => {
    const v = ['--var', dir.path, '--as', 'ana'];
    const list = await vigie('alerts', 'list', ...v);
    expect(list.code).toBe(0);
    expect(list.out.split('\n').filter((l) => l.includes('[CRITICAL]'))).toHaveLength(2);
    const ids = (await vigie('alerts', 'list', ...v, '--tenant', 'beaumont', '--json')).out.trim().split('\n').map((l) => (JSON.parse(l) as { id: number }).id);
    expect(ids).toHaveLength(1);
    const id = String(ids[0]);
    const show = await vigie('alerts', 'show', id, ...v);
    expect(show.out).toContain('- [focus] powershell.exe');
    expect(show.out).toContain('whoami.exe is rare on this host');
    expect((await vigie('alerts', 'ack', id, ...v)).out).toBe(`alert #${id}: Acknowledged\n`);
    expect(await vigie('tenants', 'add', 'beaumont', '--name', 'Beaumont', ...v)).toMatchObject({ code: 0 });
    expect((await vigie('users', 'add', 'ana', '--role', 'tenant_analyst', '--tenants', 'beaumont', ...v)).code).toBe(0);
    expect((await vigie('alerts', 'assign', id, 'ana', ...v)).out).toContain('assigned to ana');
    expect((await vigie('alerts', 'note', id, 'phoned', 'the', 'user', ...v)).out).toContain('note #1');
    const bad = await vigie('alerts', 'resolve', id, '--verdict', 'fp', '--exception', ...v).catch((e: Error) => ({ code: 1, out: '', err: e.message }));
    expect(bad.err).toContain('VIGIE_REQUEST_INVALID');
    const fp = await vigie('alerts', 'resolve', id, '--verdict', 'fp', '--exception', '--reason', 'IT macro', '--image', 'powershell.exe', '--host', 'BEAU-PC0042', '--days', '7', ...v);
    expect(fp.out).toMatch(/Resolved: false positive; exception #1 until/);
    const store = unwrap(SqliteStore.open(varPaths(dir.path).store));
    try {
      expect(new AlertGrouper(store, { windowMs: 1_800_000 }).ingest([detection([PS, WORD, OUTLOOK, EXPLORER], { at: 99_000 })]).suppressed).toBe(1);
      expect(store.alertLog.history(Number(id)).map((h) => `${h.actor} ${h.action}`)).toEqual(['engine created', 'ana state', 'ana assign', 'ana note', 'ana state']);
      expect(store.alerts.list(ALL_TENANTS).map((a) => a.tenant)).toEqual(['montclar']);
    } finally { store.close(); }
    await expect(vigie('alerts', 'show', '99999', ...v)).rejects.toThrow('VIGIE_NOT_FOUND');
    expect((await vigie('alerts', 'exceptions', ...v)).out).toMatch(/^#1 beaumont: host BEAU-PC0042, image powershell.exe — IT macro \(by ana, until \d{4}-\d\d-\d\d, 1 hits\)\n$/);
    expect((await vigie('alerts', 'revoke-exception', '1', ...v)).out).toBe('exception #1 revoked\n');
    expect((await vigie('alerts', 'exceptions', ...v)).out).toBe('no exceptions\n');
    expect((await vigie('alerts', 'exceptions', '--all', ...v)).out).toContain('revoked by ana');
  });

  it('shows an alert\'s process context from the archive while the engine holds it, and says when there is none', async () => {
    const v = ['--var', dir.path];
    const ctxDir = tempDir('cli-context');
    try {
      const store = unwrap(SqliteStore.open(varPaths(ctxDir.path).store));
      new AlertGrouper(store, { windowMs: 1_800_000 }).ingest(attackDetections(), STORED_AT);
      const id = String(store.alerts.list(ALL_TENANTS)[0]!.id);
      store.close();
      // Without an archive: the detections' tree, and why.
      const bare = await vigie('alerts', 'show', id, '--var', ctxDir.path);
      expect(bare.out).toContain(`process tree (from detections only): No archive could be read at ${varPaths(ctxDir.path).archive} (VIGIE_ARCHIVE_IO)`);
      expect(bare.out).not.toContain('whoami.exe');
      // The engine's archive, open (locked) in this process as a running engine holds it.
      const archive = await attackArchive(varPaths(ctxDir.path).archive);
      try {
        const lock = await readFile(join(varPaths(ctxDir.path).archive, 'LOCK'), 'utf8');
        const show = await vigie('alerts', 'show', id, '--var', ctxDir.path);
        expect(show.out).toContain('process tree (from the archive): Drawn from the archived telemetry of sensor sensor-BEAU-PC0042');
        expect(show.out).toMatch(/- \[descendant\] whoami\.exe \(pid 5404, BEAU\\marie, exited [^)]+\): whoami \/all/);
        expect(show.out).toMatch(/- \[sibling\] splwow64\.exe \(pid 5250, BEAU\\print-svc\): splwow64\.exe 8192/);
        expect(show.out).toContain('network: 203.0.113.9:443 outbound');
        expect(await readFile(join(varPaths(ctxDir.path).archive, 'LOCK'), 'utf8')).toBe(lock);
        const json = JSON.parse((await vigie('alerts', 'show', id, '--var', ctxDir.path, '--json')).out) as { context: { source: string; cached: boolean } };
        expect(json.context).toMatchObject({ source: 'archive', cached: true });
        const without = await vigie('alerts', 'show', id, '--var', ctxDir.path, '--no-context');
        expect(without.out).toContain('process tree (from detections only, --no-context)');
        expect(without.out).not.toContain('whoami.exe');
      } finally {
        await archive.close();
      }
    } finally {
      ctxDir.remove();
    }
    expect((await vigie('alerts', 'show', '1', ...v)).out).toContain('from detections only');
  });

  it('manages tenants, users and tokens; a token is printed once and works until revoked', async () => {
    const v = ['--var', dir.path, '--as', 'root'];
    expect((await vigie('tenants', 'list', ...v)).out).toMatch(/beaumont\s+beaumont\s+1\s+1/);
    expect((await vigie('tenants', 'add', 'montclar', ...v)).code).toBe(0);
    expect((await vigie('users', 'add', 'marc', '--role', 'tenant_analyst', '--tenants', 'montclar', ...v)).out).toContain('montclar');
    expect((await vigie('users', 'grant', 'marc', 'beaumont', ...v)).out).toContain('beaumont,montclar');
    const issued = await vigie('tokens', 'issue', 'marc', '--label', 'laptop', ...v);
    const token = issued.out.trim().split('\n').pop()!;
    const store = unwrap(SqliteStore.open(varPaths(dir.path).store));
    try {
      const access = new AccessService(store);
      expect(unwrap(access.authenticate(token)).tenants).toEqual(['beaumont', 'montclar']);
      const list = await vigie('tokens', 'list', ...v);
      expect(list.out).not.toContain(token);
      const id = unwrap(access.authenticate(token)).tokenId!;
      expect((await vigie('tokens', 'revoke', id, ...v)).out).toContain('revoked');
      expect(access.authenticate(token).ok).toBe(false);
      expect((await vigie('tenants', 'assign-host', 'BEAU-PC0042', 'montclar', ...v)).out).toContain('now in tenant montclar');
      expect(store.alerts.list(ALL_TENANTS, { tenant: 'montclar' })).toHaveLength(2);
      expect(store.access.auditLog().map((e) => e.action)).toEqual(['host.assign', 'token.revoke', 'token.issue', 'user.grant', 'user.create', 'tenant.create']);
    } finally { store.close(); }
    expect((await vigie('users', 'disable', 'marc', ...v)).out).toContain('disabled');
    expect((await vigie('users', 'nope', ...v)).code).toBe(2);
  });
});
