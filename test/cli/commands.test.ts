/**
 * The CLI as a user runs it: real child processes from dist/ (`npm test` builds it first).
 */
import { spawn, spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { CLI, distBuilt } from '../helpers/engine-process.js';
import { tempDir } from '../helpers/fixtures.js';

const run = (args: string[]) => spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', timeout: 60_000, env: { ...process.env, VIGIE_LOG_LEVEL: 'warn' } });

describe.skipIf(!distBuilt)('vigie CLI (needs dist/: run `npm run build`)', () => {
  it('enrols, lists and revokes a sensor', () => {
    const dir = tempDir('cli-enroll');
    try {
      const enrolled = run(['enroll', '--var', dir.path, '--tenant', 'town-a', '--host', 'ws-1', '--id', 'ws-1-sensor']);
      expect(enrolled.status, enrolled.stderr).toBe(0);
      expect(enrolled.stdout).toContain('enrolled ws-1-sensor (tenant town-a)');
      const listed = run(['sensors', '--var', dir.path, '--json']);
      const rows = JSON.parse(listed.stdout) as { sensorId: string; revokedMs: number | null }[];
      expect(rows.map((r) => r.sensorId)).toEqual(['ws-1-sensor']);
      expect(run(['enroll', '--var', dir.path, '--revoke', 'ws-1-sensor']).status).toBe(0);
      const again = run(['enroll', '--var', dir.path, '--revoke', 'ws-1-sensor']);
      expect(again.status).toBe(1);
      expect(again.stderr).toContain('no enrolled, unrevoked sensor');
      expect((JSON.parse(run(['sensors', '--var', dir.path, '--json']).stdout) as { revokedMs: number | null }[])[0]!.revokedMs).not.toBeNull();
    } finally {
      dir.remove();
    }
  });

  it('sends --help after a subcommand to the subcommand', () => {
    const top = run(['rollout', '--help']);
    expect(top.status).toBe(0);
    expect(top.stdout).toMatch(/^staged rollout/);
    const pin = run(['rollout', 'pin', '--help']);
    expect(pin.status).toBe(0);
    expect(pin.stdout).toContain('usage: vigie rollout pin --tenant T');
    const unknown = run(['rollout', 'nope']);
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toContain('unknown subcommand "nope"');
  });

  it('refuses a bad configuration with every problem named', () => {
    const dir = tempDir('cli-config');
    try {
      const file = join(dir.path, 'vigie.json');
      writeFileSync(file, JSON.stringify({ engine: { endpont: 'x', maxPendingBatches: 0 } }));
      const r = run(['engine', '--var', dir.path, '--config', file, '--no-status']);
      expect(r.status).toBe(1);
      expect(r.stderr).toContain('VIGIE_CONFIG_INVALID');
      expect(r.stderr).toContain('unknown key "endpont"');
      expect(r.stderr).toContain('"maxPendingBatches" must be at least 1');
    } finally {
      dir.remove();
    }
  });

  it('replays a recorded Sysmon log as one sensor per host, into the archive', () => {
    const dir = tempDir('cli-replay');
    try {
      const record = (eid: number, host: string, pid: number, extra: Record<string, unknown>) => JSON.stringify({
        EventID: eid, Hostname: host, Channel: 'Microsoft-Windows-Sysmon/Operational', SourceName: 'Microsoft-Windows-Sysmon',
        UtcTime: '2024-03-01 10:00:00.000', ProcessId: pid, ProcessGuid: `{11111111-2222-3333-4444-${String(pid).padStart(12, '0')}}`,
        Image: 'C:\\Windows\\System32\\cmd.exe', ...extra,
      });
      const lines: string[] = [];
      for (let i = 0; i < 30; i++) lines.push(record(1, i % 2 ? 'WS-A' : 'WS-B', 100 + i, { CommandLine: `cmd.exe /c echo ${i}`, ParentProcessId: 4, ParentImage: 'C:\\Windows\\explorer.exe', User: 'CORP\\alice' }));
      lines.push('{not json');
      const file = join(dir.path, 'log.jsonl.gz');
      writeFileSync(file, gzipSync(lines.join('\n') + '\n'));
      const r = run(['replay', file, '--var', dir.path, '--embedded-engine', '--json']);
      expect(r.status, r.stderr).toBe(0);
      const summary = JSON.parse(r.stdout.trim().split('\n').at(-1)!) as { hosts: number; events_read: number; events_acked: number; problems: number };
      expect(summary).toMatchObject({ hosts: 2, events_read: 30, events_acked: 30, problems: 1 });
      const verify = run(['archive', 'verify', '--var', dir.path, '--json']);
      expect(verify.status).toBe(0);
      expect(JSON.parse(verify.stdout)).toMatchObject({ events: 30, sensors: 2, duplicate_batches: 0 });
    } finally {
      dir.remove();
    }
  });

  it('`vigie start` runs everything, prints a live status line, and stops cleanly on Ctrl-C', async () => {
    const dir = tempDir('cli-start');
    try {
      const child = spawn(process.execPath, [CLI, 'start', '--var', dir.path, '--endpoint', 'tcp://127.0.0.1:0', '--hosts', '5', '--acceleration', '60'], { stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '';
      child.stdout.on('data', (d: Buffer) => { out += d.toString(); });
      // the status line comes every 10 s on a pipe; wait until it shows stored events (a first
      // start also makes the rollout keys and installs the pack as the base: on a loaded 2-core
      // machine that takes a while)
      const deadline = Date.now() + 55_000;
      while (!/hosts 6 \| \d+ ev\/s \| stored [1-9]/.test(out) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
      expect(out).toContain('Vigie is running');
      expect(out).toMatch(/sensor\s+local-/);
      child.kill('SIGINT');
      const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
      expect(out).toMatch(/hosts 6 \| \d+ ev\/s \| stored [1-9]/);
      expect(out).toContain('stopped cleanly.');
      expect(code).toBe(0);
      // the next start reuses the keys and identities under var/
      const verify = run(['archive', 'verify', '--var', dir.path, '--json']);
      expect(JSON.parse(verify.stdout).sensors).toBe(6);
    } finally {
      dir.remove();
    }
  }, 80_000);
});
