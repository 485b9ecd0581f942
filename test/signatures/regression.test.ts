/**
 * The SigmaHQ regression check (`vigie rules test --sigma-regression`): on the project's own
 * sample and rule, and on SigmaHQ's samples and rules when ../shared has them.
 */
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { unwrap } from '../../common/errors.js';
import { buildPack } from '../../signatures/pack/index.js';
import { readSamples, runRegression } from '../../signatures/regression.js';
import { tempDir } from '../helpers/fixtures.js';

const SHARED = join(import.meta.dirname, '..', '..', '..', 'shared');
const SAMPLES = join(SHARED, 'datasets', 'sigma-regression', 'samples.jsonl');
const RULES = join(SHARED, 'sigma', 'sigmahq_rules_subset.tar.gz');
const haveShared = existsSync(SAMPLES) && existsSync(RULES);

const RULE = `title: Whoami by a shell
id: 0b6cbbd4-4a53-4f0e-9a38-4f1f5b0e6a11
status: test
logsource: { category: process_creation, product: windows }
detection:
  selection:
    Image|endswith: '\\whoami.exe'
    ParentImage|endswith: '\\cmd.exe'
  condition: selection
level: low
`;

function sysmon1(pid: number, image: string, parent: string): Record<string, unknown> {
  return { EventID: 1, Channel: 'Microsoft-Windows-Sysmon/Operational', Provider: 'Microsoft-Windows-Sysmon', Hostname: 'ws', UtcTime: '2025-01-01 10:00:00.000', ProcessId: pid, ProcessGuid: `{g-${pid}}`, Image: image, CommandLine: image, ParentImage: parent, ParentProcessId: 1 };
}

describe('sigma regression runner', () => {
  it('passes a sample whose rule fires as often as expected, fails one that does not, skips other logsources', () => {
    const dir = tempDir('regression');
    try {
      writeFileSync(join(dir.path, 'rule.yml'), RULE);
      const built = buildPack([join(dir.path, 'rule.yml')], { name: 't', version: '0.0.1' });
      expect(built.ok).toBe(true);
      if (!built.ok) return;
      const samples = [
        { rule: { id: '0b6cbbd4-4a53-4f0e-9a38-4f1f5b0e6a11', logsource: { category: 'process_creation' } }, test: { expected_match_count: 1 }, events: [sysmon1(5, 'C:\\Windows\\System32\\whoami.exe', 'C:\\Windows\\System32\\cmd.exe'), sysmon1(6, 'C:\\Windows\\notepad.exe', 'C:\\Windows\\System32\\cmd.exe')] },
        { rule: { id: '0b6cbbd4-4a53-4f0e-9a38-4f1f5b0e6a11', logsource: { category: 'process_creation' } }, test: { expected_match_count: 2 }, events: [sysmon1(7, 'C:\\Windows\\System32\\whoami.exe', 'C:\\Windows\\System32\\cmd.exe')] },
        { rule: { id: 'ffffffff-0000-0000-0000-000000000000', logsource: { category: 'process_creation' } }, test: { expected_match_count: null }, events: [] },
        { rule: { id: 'x', logsource: { category: 'registry_set' } }, events: [] },
      ];
      const file = join(dir.path, 'samples.jsonl');
      writeFileSync(file, samples.map((s) => JSON.stringify(s)).join('\n'));
      const report = runRegression(unwrap(readSamples(file)), built.value.pack.rules, new Map([['ffffffff-0000-0000-0000-000000000000', 'VIGIE_RULE_UNSUPPORTED: field X']]));
      expect(report).toMatchObject({ passed: 1, failed: 2, out_of_scope: 1, pass_rate: 0.3333 });
      expect(report.samples[1]!.reason).toMatch(/matched 1 of 1 events, expected 2/);
      expect(report.samples[2]!.reason).toMatch(/rule not compiled: VIGIE_RULE_UNSUPPORTED/);
    } finally {
      dir.remove();
    }
  });

  it('reports a line that is not a sample with its line number', () => {
    const dir = tempDir('regression-bad');
    try {
      const file = join(dir.path, 's.jsonl');
      writeFileSync(file, '{"rule":{"id":"a"},"events":[]}\n{not json\n');
      const r = readSamples(file);
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.error).toMatchObject({ code: 'VIGIE_RULE_PARSE', location: { file, line: 2 } });
    } finally {
      dir.remove();
    }
  });

  describe.skipIf(!haveShared)(`SigmaHQ regression samples (${haveShared ? SAMPLES : 'skipped: ../shared/datasets/sigma-regression or ../shared/sigma missing'})`, () => {
    it('at least 97% of in-scope samples fire their rule exactly as expected', () => {
      const built = buildPack([RULES], { name: 'sigmahq', version: '0.0.1' });
      expect(built.ok).toBe(true);
      if (!built.ok) return;
      const why = new Map(built.value.problems.map((p) => [p.location?.field ?? '', p.message]));
      const report = runRegression(unwrap(readSamples(SAMPLES)), built.value.pack.rules, why);
      const failures = report.samples.filter((s) => !s.passed).map((s) => `${s.ruleId} ${s.title}: ${s.reason}`);
      if (failures.length) console.log(`regression failures:\n${failures.join('\n')}`);
      expect(report.passed + report.failed).toBeGreaterThan(100);
      expect(report.pass_rate).toBeGreaterThanOrEqual(0.97);
    });
  });
});
