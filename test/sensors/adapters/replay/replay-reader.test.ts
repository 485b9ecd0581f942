import { afterAll, describe, expect, it } from 'vitest';
import { copyFileSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { ReplayChunk, ReplayReader } from '../../../../sensors/adapters/replay/index.js';
import { listReplayHosts, readReplay } from '../../../../sensors/adapters/replay/index.js';
import { tempDir } from '../../../helpers/fixtures.js';
import { fixture } from '../helpers.js';

const tmp = tempDir('replay');
afterAll(() => tmp.remove());

async function collect(reader: ReplayReader): Promise<ReplayChunk[]> {
  const chunks: ReplayChunk[] = [];
  for await (const c of reader) chunks.push(c);
  return chunks;
}

/** A generated Sysmon EID 1 record: process `i` on host `host-(i % hosts)`, one second apart. */
function syntheticLine(i: number, hosts = 1): string {
  const t = new Date(Date.UTC(2024, 0, 1) + i * 1000).toISOString().replace('T', ' ').replace('Z', '');
  return JSON.stringify({
    Channel: 'Microsoft-Windows-Sysmon/Operational',
    EventID: 1,
    Hostname: `host-${i % hosts}`,
    UtcTime: t,
    ProcessGuid: `{00000000-0000-0000-0000-${i.toString(16).padStart(12, '0')}}`,
    ProcessId: String(1000 + i),
    Image: 'C:\\Windows\\System32\\cmd.exe',
    CommandLine: `cmd.exe /c echo ${'x'.repeat(200)} ${i}`,
  });
}

function writeSynthetic(name: string, n: number, opts: { gzip?: boolean; hosts?: number } = {}): string {
  const text = Array.from({ length: n }, (_, i) => syntheticLine(i, opts.hosts)).join('\n') + '\n';
  const path = join(tmp.path, name);
  writeFileSync(path, opts.gzip ? gzipSync(text) : text);
  return path;
}

describe('readReplay', () => {
  it('translates a JSON-lines file and reports each bad line with file and line', async () => {
    const file = fixture('windows.jsonl');
    const reader = readReplay(file);
    const chunks = await collect(reader);
    expect(chunks).toHaveLength(1);
    const [chunk] = chunks;
    expect(chunk?.events).toHaveLength(6);
    expect(chunk?.problems.map((p) => [p.code, p.location?.line, p.location?.field])).toEqual([
      ['VIGIE_SYSMON_PARSE', 9, undefined],
      ['VIGIE_SYSMON_PARSE', 10, 'Image'],
      ['VIGIE_SYSMON_PARSE', 11, 'DestinationPort'],
      ['VIGIE_SYSMON_PARSE', 13, 'Hostname'],
    ]);
    expect(chunk?.problems.every((p) => p.location?.file === file)).toBe(true);
    expect(reader.stats).toMatchObject({
      gzip: false,
      format: 'jsonl',
      records: 12,
      events: 6,
      byKind: { process_start: 2, process_exit: 1, network: 2, dns: 1 },
      unsupported: { 'sysmon:11': 1, 'Security:4688': 1 },
      labelled: 4,
      problems: 4,
    });
  });

  it('detects gzip by its magic bytes, not its name', async () => {
    const gz = join(tmp.path, 'looks-plain.jsonl');
    writeFileSync(gz, gzipSync(readFileSync(fixture('windows.jsonl'))));
    const plain = join(tmp.path, 'looks-compressed.gz');
    copyFileSync(fixture('windows.jsonl'), plain);
    for (const [file, gzip] of [[gz, true], [plain, false]] as const) {
      const reader = readReplay(file);
      await collect(reader);
      expect(reader.stats).toMatchObject({ gzip, events: 6, problems: 4 });
    }
  });

  it('reads a JSON array file (element line numbers, non-object elements as problems)', async () => {
    const reader = readReplay(fixture('array.json'));
    const [chunk] = await collect(reader);
    expect(reader.stats.format).toBe('json-array');
    expect(chunk?.events.map((e) => e.host)).toEqual(['WS05', 'WS05']);
    expect(chunk?.problems).toEqual([
      { code: 'VIGIE_SYSMON_PARSE', message: 'record is not a JSON object', location: { file: fixture('array.json'), line: 13 } },
    ]);
  });

  it('yields chunks of chunkSize events, in order', async () => {
    const file = writeSynthetic('chunks.jsonl.gz', 2500, { gzip: true });
    const chunks = await collect(readReplay(file, { chunkSize: 1000 }));
    expect(chunks.map((c) => c.events.length)).toEqual([1000, 1000, 500]);
    const pids = chunks.flatMap((c) => c.events.map((e) => e.processStart?.process?.pid));
    expect(pids).toEqual(Array.from({ length: 2500 }, (_, i) => 1000 + i));
  });

  it('streams: the first chunk arrives after reading only part of the file', async () => {
    const file = writeSynthetic('big.jsonl.gz', 40_000, { gzip: true });
    const size = statSync(file).size;
    const reader = readReplay(file, { chunkSize: 500 });
    for await (const chunk of reader) {
      expect(chunk.events).toHaveLength(500);
      expect(reader.stats.bytesRead).toBeGreaterThan(0);
      expect(reader.stats.bytesRead).toBeLessThan(size / 4);
      break; // leaving the loop closes the file
    }
    expect(reader.stats.records).toBeLessThan(40_000 / 4);
  });

  it('keeps only one host when asked, counting the others', async () => {
    const file = writeSynthetic('hosts.jsonl', 30, { hosts: 3 });
    const reader = readReplay(file, { host: 'host-1' });
    const events = (await collect(reader)).flatMap((c) => c.events);
    expect(events).toHaveLength(10);
    expect(new Set(events.map((e) => e.host))).toEqual(new Set(['host-1']));
    expect(reader.stats.otherHosts).toBe(20);
  });

  it('reports a missing file as one VIGIE_REPLAY_IO problem', async () => {
    const file = join(tmp.path, 'nope.jsonl');
    const chunks = await collect(readReplay(file));
    expect(chunks).toEqual([{ events: [], problems: [expect.objectContaining({ code: 'VIGIE_REPLAY_IO', location: { file } })] }]);
  });

  it('keeps what precedes a truncated gzip stream, then reports VIGIE_REPLAY_IO', async () => {
    const whole = gzipSync(readFileSync(writeSynthetic('whole.jsonl', 3000)));
    const file = join(tmp.path, 'truncated.gz');
    writeFileSync(file, whole.subarray(0, Math.floor(whole.length * 0.6)));
    const reader = readReplay(file);
    const chunks = await collect(reader);
    const problems = chunks.flatMap((c) => c.problems);
    expect(reader.stats.events).toBeGreaterThan(1000);
    expect(reader.stats.events).toBeLessThan(3000);
    expect(problems.at(-1)).toMatchObject({ code: 'VIGIE_REPLAY_IO', location: { file } });
  });
});

describe('listReplayHosts', () => {
  it('lists each host with its counts and time span', async () => {
    const file = writeSynthetic('list.jsonl', 9, { hosts: 2 });
    const { hosts, stats } = await listReplayHosts(file);
    expect(hosts).toEqual([
      { host: 'host-0', events: 5, labelled: 0, firstTimeMs: Date.UTC(2024, 0, 1), lastTimeMs: Date.UTC(2024, 0, 1) + 8000 },
      { host: 'host-1', events: 4, labelled: 0, firstTimeMs: Date.UTC(2024, 0, 1) + 1000, lastTimeMs: Date.UTC(2024, 0, 1) + 7000 },
    ]);
    expect(stats.events).toBe(9);
  });

  it('keeps the first problems of a damaged file', async () => {
    const { hosts, problems, stats } = await listReplayHosts(fixture('windows.jsonl'), { maxProblems: 2 });
    expect(hosts.map((h) => h.host)).toEqual(['WS01.vigie.test']);
    expect(problems).toHaveLength(2);
    expect(stats.problems).toBe(4);
  });
});
