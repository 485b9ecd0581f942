/**
 * `vigie rules compile|validate`, `vigie replay --rules` and `vigie detections list` as a user
 * runs them (child processes from dist/): problems named by file, line and code; a labelled
 * replay's hits, recall and false-positive rate; the detections the edge found, in the store.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CLI, distBuilt } from '../helpers/engine-process.js';
import { tempDir } from '../helpers/fixtures.js';

const run = (args: string[]) => spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', timeout: 60_000, env: { ...process.env, VIGIE_LOG_LEVEL: 'warn' } });

const GOOD = `title: Encoded PowerShell
id: 6a0e8f1c-93a5-4c43-a7b2-0d5c5a4a9e01
status: test
tags: [attack.execution, attack.t1059.001]
logsource: { category: process_creation, product: windows }
detection:
  selection:
    Image|endswith: '\\powershell.exe'
    CommandLine|contains|windash: ' -enc '
  condition: selection
level: high
`;
const BAD = `title: Counts things
id: 7b1f9e2d-0000-4000-8000-000000000002
logsource: { category: process_creation, product: windows }
detection:
  selection:
    Image|endswith: '\\net.exe'
  condition: selection | count() by User > 5
level: low
`;

describe.skipIf(!distBuilt)('vigie rules, replay --rules, detections (needs dist/)', () => {
  it('names every problem, writes a pack only when asked to, and evaluates a labelled replay', () => {
    const dir = tempDir('cli-rules');
    try {
      const rules = join(dir.path, 'rules');
      mkdirSync(rules);
      writeFileSync(join(rules, 'good.yml'), GOOD);
      writeFileSync(join(rules, 'bad.yml'), BAD);
      const pack = join(dir.path, 'pack.json');

      const validate = run(['rules', 'validate', rules]);
      expect(validate.status).toBe(1);
      expect(validate.stdout).toMatch(/bad\.yml:7.*VIGIE_RULE_UNSUPPORTED.*count\(\)/);
      expect(validate.stdout).toContain('1 rules compiled, 1 problems');

      const refused = run(['rules', 'compile', rules, '--out', pack]);
      expect(refused.status).toBe(1);
      expect(refused.stderr).toMatch(/no pack written/);

      const compiled = run(['rules', 'compile', rules, '--out', pack, '--allow-partial', '--name', 'town-pack', '--version', '1.2.0', '--json']);
      expect(compiled.status, compiled.stderr).toBe(0);
      expect(JSON.parse(compiled.stdout)).toMatchObject({ rules: 1, problems: 1, written: true });
      expect(JSON.parse(readFileSync(pack, 'utf8'))).toMatchObject({ format: 'vigie.signature-pack/1', name: 'town-pack', version: '1.2.0', rules: [{ id: '6a0e8f1c-93a5-4c43-a7b2-0d5c5a4a9e01', level: 'high' }] });

      const record = (pid: number, image: string, commandLine: string, label: string) => JSON.stringify({
        EventID: 1, Hostname: 'WS-A', Channel: 'Microsoft-Windows-Sysmon/Operational', UtcTime: `2024-03-01 10:00:${String(pid % 60).padStart(2, '0')}.000`,
        ProcessId: pid, ProcessGuid: `{11111111-2222-3333-4444-${String(pid).padStart(12, '0')}}`, Image: image, CommandLine: commandLine,
        ParentProcessId: 4, ParentImage: 'C:\\Windows\\explorer.exe', _label: { event: label },
      });
      const ps = 'C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe';
      const lines = [
        record(100, ps, 'powershell.exe -nop -enc SQBFAFgA', 'malicious'),
        record(101, ps, 'powershell.exe /enc SQBFAFgA', 'malicious'),
        record(102, 'C:\\Windows\\System32\\cmd.exe', 'cmd.exe /c whoami', 'malicious'), // missed
        record(103, ps, 'powershell.exe -File backup.ps1', 'benign_or_unlabelled'),
        record(104, 'C:\\Tools\\x.exe', 'x.exe -enc foo', 'benign_or_unlabelled'),
      ];
      const log = join(dir.path, 'labelled.jsonl');
      writeFileSync(log, lines.join('\n') + '\n');
      const replay = run(['replay', log, '--var', dir.path, '--embedded-engine', '--rules', pack, '--json']);
      expect(replay.status, replay.stderr).toBe(0);
      const summary = JSON.parse(replay.stdout.trim().split('\n').at(-1)!) as { signatures: Record<string, unknown> };
      expect(summary.signatures).toMatchObject({
        pack: 'town-pack 1.2.0', events: 5, hits: 2, labelled: true, malicious_events: 3, benign_events: 2, recall: 0.6667, false_positive_rate: 0,
        rules: [{ id: '6a0e8f1c-93a5-4c43-a7b2-0d5c5a4a9e01', title: 'Encoded PowerShell', hits: 2 }],
      });

      // The replay's sensors matched the pack at the edge: the engine stored what they found.
      const listed = run(['detections', 'list', '--var', dir.path, '--json']);
      expect(listed.status, listed.stderr).toBe(0);
      // (the default models, when built, may add model detections of their own: only the rules' are counted here)
      const detections = listed.stdout.trim().split('\n').map((l) => JSON.parse(l) as { host: string; source: string; ruleId: string; severity: string; evidence: { tags: string[] } })
        .filter((d) => d.source === 'rule');
      expect(detections).toHaveLength(2);
      expect(detections.every((d) => d.ruleId === '6a0e8f1c-93a5-4c43-a7b2-0d5c5a4a9e01' && d.severity === 'high' && d.host === 'WS-A')).toBe(true);
      expect(detections[0]!.evidence.tags).toContain('attack.t1059.001');
      const table = run(['detections', 'list', '--var', dir.path, '--severity', 'high']);
      expect(table.stdout).toMatch(/WS-A\s+high\s+rule\s+powershell\.exe \(10[01]\)\s+Encoded PowerShell/);
      expect(run(['detections', 'list', '--var', dir.path, '--severity', 'urgent']).stderr).toMatch(/VIGIE_CONFIG_INVALID.*urgent/);
    } finally {
      dir.remove();
    }
  });

  it('refuses a pack file that does not validate, naming each problem', () => {
    const dir = tempDir('cli-badpack');
    try {
      const pack = join(dir.path, 'pack.json');
      writeFileSync(pack, JSON.stringify({ format: 'vigie.signature-pack/9', name: '', version: 'one', created: 'x', compiler: 'y', rules: [{ id: 'r1' }] }));
      const r = run(['replay', join(dir.path, 'none.jsonl'), '--var', dir.path, '--rules', pack]);
      expect(r.status).toBe(1);
      expect(r.stderr).toMatch(/VIGIE_PACK_INVALID/);
      expect(r.stderr).toMatch(/format is "vigie.signature-pack\/9"/);
      expect(r.stderr).toMatch(/version must be a semantic version/);
      expect(r.stderr).toMatch(/r1.*title must be a string/);
    } finally {
      dir.remove();
    }
  });
});
