import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { readLabelledEvents } from '../../../models/dataset/labelled-log.js';
import { extractRowSets } from '../../../models/dataset/row-sets.js';

const fixture = join(import.meta.dirname, '..', '..', 'fixtures', 'sysmon', 'windows.jsonl');
const dir = mkdtempSync(join(tmpdir(), 'vigie-dataset-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const rec = (o: Record<string, unknown>) => JSON.stringify({ Channel: 'Microsoft-Windows-Sysmon/Operational', Hostname: 'WS9', ...o });

describe('readLabelledEvents', () => {
  it('reads Sysmon records with their recording and label; skips other logs; counts malformed lines', () => {
    const file = join(dir, 'mixed.jsonl.gz');
    const lines = [
      rec({ _dataset: { id: 'REC-A' }, _label: { event: 'malicious' }, EventID: 1, UtcTime: '2024-03-01 10:00:00.000', ProcessId: '10', ProcessGuid: '{a}', Image: 'C:\\x\\payload.exe', CommandLine: 'payload.exe', ParentProcessGuid: '{p}', ParentProcessId: '4', ParentImage: 'C:\\Windows\\explorer.exe' }),
      '{not json',
      JSON.stringify({ Channel: 'Security', EventID: 4688, Hostname: 'WS9' }),
      rec({ EventID: 3, UtcTime: '2024-03-01 10:00:01.000', ProcessId: '10', ProcessGuid: '{a}', Image: 'C:\\x\\payload.exe', Protocol: 'tcp', Initiated: 'true', SourceIp: '10.0.0.5', SourcePort: '50000', DestinationIp: '10.0.0.9', DestinationPort: '443' }),
    ];
    writeFileSync(file, gzipSync(lines.join('\n')));
    const r = readLabelledEvents([file]);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value.events).toHaveLength(2);
    expect(r.value.groups).toEqual(['REC-A', 'mixed.jsonl.gz']);
    expect(r.value.events[0]!.label).not.toBe('');
    expect(r.value.events[1]!.label).toBe('');
    expect(r.value.skipped).toBe(1);
    expect(r.value.malformed).toBe(1);
    expect(r.value.problems[0]).toMatchObject({ code: 'VIGIE_SYSMON_PARSE', location: { file, line: 2 } });
  });

  it('refuses a missing file or a file without one usable event, with a typed error', () => {
    expect(readLabelledEvents([join(dir, 'nope.jsonl')])).toMatchObject({ ok: false, error: { code: 'VIGIE_DATA_INVALID' } });
    const empty = join(dir, 'empty.jsonl');
    writeFileSync(empty, JSON.stringify({ Channel: 'Security', EventID: 4624 }) + '\n');
    expect(readLabelledEvents([empty])).toMatchObject({ ok: false, error: { code: 'VIGIE_DATA_INVALID' } });
    expect(readLabelledEvents([])).toMatchObject({ ok: false });
  });
});

describe('extractRowSets', () => {
  it('gives one process row per start and maps every network event to its window row', () => {
    const data = readLabelledEvents([fixture]);
    expect(data.ok).toBe(true);
    if (!data.ok) return;
    const sets = extractRowSets(data.value);
    const starts = data.value.events.filter((e) => e.processStart).length;
    expect(sets.process.n).toBe(starts);
    expect(sets.process.groups.every((g) => g.startsWith('VIGIE-TEST'))).toBe(true);
    data.value.events.forEach((e, i) => {
      if (e.network || e.dns) {
        const row = sets.eventRow[i]!;
        expect(row).toBeGreaterThanOrEqual(0);
        expect(sets.networkContexts[row]!.processKey).toContain(':');
      } else {
        expect(sets.eventRow[i]).toBe(-1);
      }
    });
    for (const v of sets.process.values) expect(Number.isFinite(v)).toBe(true);
  });
});
