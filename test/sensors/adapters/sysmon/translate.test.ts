import { describe, expect, it } from 'vitest';
import { Direction, Protocol, Source } from '../../../../common/events.js';
import type { Event } from '../../../../common/events.js';
import type { VigieProblem } from '../../../../common/errors.js';
import { SysmonTranslator } from '../../../../sensors/adapters/sysmon/index.js';
import type { TranslateOutcome } from '../../../../sensors/adapters/sysmon/index.js';
import { fixtureLines } from '../helpers.js';

const ms = (iso: string): number => Date.parse(iso);

/** Translates every non-blank line of a fixture with one translator, keyed by line number. */
function translateFixture(name: string): Map<number, TranslateOutcome> {
  const t = new SysmonTranslator();
  const out = new Map<number, TranslateOutcome>();
  fixtureLines(name).forEach((text, line) => {
    if (line > 0 && text.trim() !== '') out.set(line, t.translateLine(text, { file: name, line }));
  });
  return out;
}

function eventAt(outcomes: Map<number, TranslateOutcome>, line: number): Event {
  const o = outcomes.get(line);
  if (o?.kind !== 'event') throw new Error(`line ${line}: expected an event, got ${JSON.stringify(o)}`);
  return o.event;
}

function problemAt(outcomes: Map<number, TranslateOutcome>, line: number): VigieProblem {
  const o = outcomes.get(line);
  if (o?.kind !== 'problem') throw new Error(`line ${line}: expected a problem, got ${JSON.stringify(o)}`);
  return o.problem;
}

describe('Sysmon translator, flat Windows records (windows.jsonl)', () => {
  const out = translateFixture('windows.jsonl');
  const cmdStart = { pid: 4100, startTimeMs: ms('2024-03-01T10:00:00.250Z') };

  it('EID 1 -> ProcessStart with every mapped field', () => {
    const e = eventAt(out, 1);
    expect(e).toMatchObject({ timeMs: cmdStart.startTimeMs, source: Source.SOURCE_SYSMON, host: 'WS01.vigie.test', label: '' });
    expect(e.processStart).toEqual({
      process: cmdStart,
      // explorer.exe started before the log: its start comes from its guid (09:00:00, whole seconds)
      parent: { pid: 3000, startTimeMs: ms('2024-03-01T09:00:00Z') },
      image: 'C:\\Windows\\System32\\cmd.exe',
      commandLine: 'cmd.exe /c whoami',
      cwd: 'C:\\Users\\alice\\',
      user: 'VIGIE\\alice',
      parentImage: 'C:\\Windows\\explorer.exe',
      parentCommandLine: 'C:\\Windows\\Explorer.EXE',
      integrityLevel: 'Medium',
      hashes: 'SHA256=00112233445566778899AABBCCDDEEFF00112233445566778899AABBCCDDEEFF',
      guid: '{6f1c0a2b-a720-65e1-1a00-000000000700}',
      parentGuid: '{6f1c0a2b-9910-65e1-0400-000000000700}',
      logonId: '0x1f2e3d',
      originalFileName: 'Cmd.Exe',
      description: 'Windows Command Processor',
      product: 'Microsoft® Windows® Operating System',
      company: 'Microsoft Corporation',
      fileVersion: '10.0.19041.1 (WinBuild.160101.0800)',
      parentUser: 'VIGIE\\alice',
    });
  });

  it('a child names its parent by the ref its create defined; "-" reads as empty', () => {
    const e = eventAt(out, 2);
    expect(e.processStart?.parent).toEqual(cmdStart);
    expect(e.processStart?.hashes).toBe('');
  });

  it('labels malicious events with the recording technique, benign ones with ""', () => {
    expect(eventAt(out, 2).label).toBe('T1033');
    expect(eventAt(out, 1).label).toBe('');
  });

  it('EID 3 Initiated=true -> outbound, Source is local, remote hostname from Destination', () => {
    const e = eventAt(out, 3);
    expect(e.network).toEqual({
      process: cmdStart,
      image: 'C:\\Windows\\System32\\cmd.exe',
      direction: Direction.DIRECTION_OUTBOUND,
      protocol: Protocol.PROTOCOL_TCP,
      localAddress: '10.1.2.3',
      localPort: 49800,
      remoteAddress: '203.0.113.7',
      remotePort: 443,
      remoteHostname: 'c2.example.net',
      user: 'VIGIE\\alice',
    });
  });

  it('EID 3 Initiated=false -> inbound, Destination is local; unknown guid resolves by its embedded time', () => {
    const n = eventAt(out, 4).network;
    expect(n).toMatchObject({
      direction: Direction.DIRECTION_INBOUND,
      localAddress: '10.1.2.3',
      localPort: 3389,
      remoteAddress: '10.9.9.9',
      remotePort: 51515,
      remoteHostname: 'admin-pc.vigie.test',
    });
    expect(n?.process).toEqual({ pid: 900, startTimeMs: ms('2024-03-01T08:00:00Z') });
  });

  it('EID 22 -> DnsQuery owned by the process its create defined', () => {
    expect(eventAt(out, 5).dns).toEqual({
      process: { pid: 4200, startTimeMs: ms('2024-03-01T10:00:01.500Z') },
      image: 'C:\\Windows\\System32\\whoami.exe',
      queryName: 'c2.example.net',
      queryType: '',
      answers: '::ffff:203.0.113.7;',
      status: 0,
    });
  });

  it('EID 5 -> ProcessExit with the same process key as the start', () => {
    expect(eventAt(out, 6).processExit).toEqual({
      process: { pid: 4200, startTimeMs: ms('2024-03-01T10:00:01.500Z') },
      image: 'C:\\Windows\\System32\\whoami.exe',
      exitCode: 0,
    });
  });

  it('other Sysmon ids and other logs are unsupported, not problems', () => {
    expect(out.get(7)).toEqual({ kind: 'unsupported', key: 'sysmon:11' });
    expect(out.get(8)).toEqual({ kind: 'unsupported', key: 'Security:4688' });
  });

  it('malformed records are VIGIE_SYSMON_PARSE problems with file, line and field', () => {
    expect(problemAt(out, 9)).toMatchObject({ code: 'VIGIE_SYSMON_PARSE', location: { file: 'windows.jsonl', line: 9 } });
    expect(problemAt(out, 9).message).toMatch(/not valid JSON/);
    expect(problemAt(out, 10).location).toEqual({ file: 'windows.jsonl', line: 10, field: 'Image' });
    expect(problemAt(out, 11).location).toEqual({ file: 'windows.jsonl', line: 11, field: 'DestinationPort' });
    expect(problemAt(out, 13).location).toEqual({ file: 'windows.jsonl', line: 13, field: 'Hostname' });
    expect(out.has(12)).toBe(false);
  });
});

describe('Sysmon translator, other shippers (shapes.jsonl, linux-syslog.jsonl)', () => {
  const shapes = translateFixture('shapes.jsonl');
  const linux = translateFixture('linux-syslog.jsonl');

  it('reads EventData given as a JSON string (Azure Monitor), with 7-digit ISO UtcTime', () => {
    const e = eventAt(shapes, 1);
    expect(e).toMatchObject({ host: 'WS02', timeMs: ms('2024-03-02T08:00:00.123Z') });
    expect(e.network).toMatchObject({ protocol: Protocol.PROTOCOL_UDP, remotePort: 53, remoteHostname: 'dns1.vigie.test' });
  });

  it('reads winlogbeat 7 winlog.event_data with a string event id', () => {
    const e = eventAt(shapes, 2);
    expect(e.host).toBe('WS03.vigie.test');
    expect(e.processStart).toMatchObject({ image: 'C:\\Windows\\System32\\notepad.exe', process: { pid: 6000 } });
  });

  it('takes a bare EventData export with a UtcTime as Sysmon', () => {
    expect(eventAt(shapes, 3).dns).toMatchObject({ queryName: 'www.example.com', status: 9003, answers: '' });
  });

  it('counts a syslog row without Sysmon XML as unsupported', () => {
    expect(shapes.get(4)?.kind).toBe('unsupported');
  });

  it('reads Sysmon for Linux XML inside syslog rows, entities decoded', () => {
    const start = eventAt(linux, 1);
    expect(start.host).toBe('UBUNTU-T1');
    expect(start.processStart).toMatchObject({
      process: { pid: 17001, startTimeMs: ms('2024-05-02T12:00:05Z') },
      parent: { pid: 1200, startTimeMs: ms('2024-05-02T11:00:00Z') },
      commandLine: 'bash -c "id && uname -a > /tmp/o"',
      integrityLevel: '',
      user: 'app',
    });
    expect(eventAt(linux, 2).network).toMatchObject({ remoteAddress: '198.51.100.20', remotePort: 4444 });
    expect(linux.get(3)).toEqual({ kind: 'unsupported', key: 'sysmon:11' });
    expect(eventAt(linux, 4).processExit?.process).toEqual(start.processStart?.process);
  });
});

describe('Sysmon translator, edge cases', () => {
  const base = { Channel: 'Microsoft-Windows-Sysmon/Operational', Hostname: 'h', UtcTime: '2024-01-01 00:00:00.000' };

  it('rejects values that are not objects and Sysmon records without an event id', () => {
    const t = new SysmonTranslator();
    expect(t.translate([1, 2])).toMatchObject({ kind: 'problem', problem: { code: 'VIGIE_SYSMON_PARSE' } });
    expect(t.translate({ ...base })).toMatchObject({ kind: 'problem', problem: { location: { field: 'EventID' } } });
  });

  it('rejects an unparsable UtcTime rather than guessing', () => {
    const t = new SysmonTranslator();
    const o = t.translate({ ...base, EventID: 5, UtcTime: '2024-02-30 00:00:00.000', ProcessId: '1' });
    expect(o).toMatchObject({ kind: 'problem', problem: { location: { field: 'UtcTime' } } });
  });

  it('falls back to the record timestamp when UtcTime is absent', () => {
    const t = new SysmonTranslator();
    const o = t.translate({ ...base, UtcTime: undefined, '@timestamp': '2024-01-01T00:00:09.5Z', EventID: 5, ProcessId: '1' });
    expect(o.kind === 'event' && o.event.timeMs).toBe(ms('2024-01-01T00:00:09.500Z'));
  });

  it('gives pid 0, start 0 to a network event naming no process', () => {
    const t = new SysmonTranslator();
    const o = t.translate({ ...base, EventID: 3, SourceIp: '1.1.1.1', DestinationIp: '2.2.2.2' });
    expect(o.kind === 'event' && o.event.network).toMatchObject({
      process: { pid: 0, startTimeMs: 0 },
      direction: Direction.DIRECTION_UNKNOWN,
      localPort: 0,
    });
  });

  it('requires a guid or a pid on process create and exit', () => {
    const t = new SysmonTranslator();
    expect(t.translate({ ...base, EventID: 1, Image: 'x' })).toMatchObject({ problem: { location: { field: 'ProcessGuid' } } });
    expect(t.translate({ ...base, EventID: 5, ProcessId: 'abc' })).toMatchObject({ problem: { location: { field: 'ProcessId' } } });
  });
});
