/**
 * The phishing attack of fixtures.ts as its sensor reported it, archived by the real Archive as
 * real encoded TelemetryBatch frames: the processes that fired (PowerShell, nltest) and around
 * them processes that fired nothing (conhost, cmd -> whoami, cmd -> ipconfig, a sibling under
 * Word), exits, connections and DNS queries; and what must stay out of the alert's context: a
 * process of another sensor, one of another tenant, one outside the window, one unrelated.
 */
import { unwrap } from '../../../common/errors.js';
import { Direction, Protocol, Source, type Event } from '../../../common/events.js';
import { encodeBatch } from '../../../common/wire/frames.js';
import { Archive } from '../../../engine/archive/index.js';
import type { ProcessSummary } from '../../../engine/detect/detection.js';
import { detection, EXPLORER, NLTEST, OUTLOOK, phishing, proc, PS, T0, WHOAMI, CMD, WORD } from './fixtures.js';

export const SENSOR = 'sensor-BEAU-PC0042';
export const CONHOST = proc(5304, 2050, 'C:\\Windows\\System32\\conhost.exe', '\\??\\C:\\Windows\\system32\\conhost.exe 0xffffffff -ForceV1');
export const CMD2 = proc(5600, 9000, 'C:\\Windows\\System32\\cmd.exe', 'cmd /c ipconfig /all');
export const IPCONFIG = proc(5604, 9100, 'C:\\Windows\\System32\\ipconfig.exe', 'ipconfig /all');
/** Started by Word next to PowerShell: a sibling of the alert's process. */
export const SPLWOW = proc(5250, 1500, 'C:\\Windows\\splwow64.exe', 'splwow64.exe 8192', 'BEAU\\print-svc');
/** Started by Explorer: neither ancestor, sibling nor descendant of a process that fired. */
export const NOTEPAD = proc(4500, 3000, 'C:\\Windows\\System32\\notepad.exe', 'notepad.exe todo.txt');
/** PowerShell's child two hours later (another batch, received then): outside the window. */
export const LATE = proc(5700, 2 * 3_600_000, 'C:\\Windows\\System32\\late.exe', 'late.exe');
/** PowerShell's child whose event time is outside the window though its batch came in within it. */
export const SKEWED = proc(5800, 700_000, 'C:\\Windows\\System32\\skewed.exe', 'skewed.exe');
/** Same parent key, another sensor. */
export const OTHER_SENSOR = proc(5900, 7000, 'C:\\Users\\x\\other-sensor.exe', 'other-sensor.exe');
/** Same sensor id and parent, archived under another tenant. */
export const OTHER_TENANT = proc(5950, 7000, 'C:\\Users\\x\\other-tenant.exe', 'other-tenant.exe');
/** Archived after the context was first built (a later batch): drawn once the context is rebuilt. */
export const NET = proc(5650, 12_000, 'C:\\Windows\\System32\\net.exe', 'net group "Admins du domaine" /domain');

const ref = (p: ProcessSummary) => ({ pid: p.pid, startTimeMs: p.startTimeMs });

export function start(p: ProcessSummary, parent: ProcessSummary): Event {
  return { timeMs: p.startTimeMs, source: Source.SOURCE_SIMULATED, host: 'BEAU-PC0042', processStart: { process: ref(p), parent: ref(parent), image: p.image, commandLine: p.commandLine, user: p.user } };
}
const exit = (p: ProcessSummary, t: number): Event => ({ timeMs: T0 + t, host: 'BEAU-PC0042', processExit: { process: ref(p), image: p.image } });
const connect = (p: ProcessSummary, t: number, ip: string, port: number): Event => ({
  timeMs: T0 + t, host: 'BEAU-PC0042',
  network: { process: ref(p), image: p.image, direction: Direction.DIRECTION_OUTBOUND, protocol: Protocol.PROTOCOL_TCP, remoteAddress: ip, remotePort: port },
});
const dns = (p: ProcessSummary, t: number, name: string): Event => ({ timeMs: T0 + t, host: 'BEAU-PC0042', dns: { process: ref(p), image: p.image, queryName: name } });

/** What the sensor sent around the attack (PowerShell's start included: the detections fired on it). */
export function attackEvents(): Event[] {
  return [
    start(WORD, OUTLOOK), dns(WORD, 1200, 'nexus.officeapps.live.com'), start(SPLWOW, WORD), start(PS, WORD), start(CONHOST, PS),
    start(NOTEPAD, EXPLORER), connect(PS, 8200, '203.0.113.9', 443), start(CMD, PS), start(WHOAMI, CMD), exit(WHOAMI, 5900), exit(CMD, 6100),
    start(NLTEST, PS), start(CMD2, PS), start(IPCONFIG, CMD2), start(SKEWED, PS), exit(WORD, 180_000),
  ];
}

export interface Batch { sensorId: string; tenant: string; receivedMs: number; events: Event[] }

/** The batches, received by the engine a few seconds after the events (LATE's two hours later). */
export function attackBatches(): Batch[] {
  const events = attackEvents();
  return [
    { sensorId: SENSOR, tenant: 'beaumont', receivedMs: T0 + 3000, events: events.slice(0, 6) },
    { sensorId: SENSOR, tenant: 'beaumont', receivedMs: T0 + 7000, events: events.slice(6) },
    { sensorId: 'sensor-BEAU-PC0043', tenant: 'beaumont', receivedMs: T0 + 7500, events: [start(OTHER_SENSOR, PS)] },
    { sensorId: SENSOR, tenant: 'montclar', receivedMs: T0 + 7600, events: [start(OTHER_TENANT, PS)] },
    { sensorId: SENSOR, tenant: 'beaumont', receivedMs: T0 + LATE.startTimeMs - T0 + 1000, events: [start(LATE, PS)] },
  ];
}

let seq = 0;

/** Archives batches as the engine does (real frames, real Archive). */
export async function archiveBatches(archive: Archive, batches: readonly Batch[]): Promise<void> {
  for (const b of batches) {
    const s = ++seq;
    const payload = encodeBatch({ sensorId: b.sensorId, tenant: b.tenant, seq: s, firstUnackedSeq: s, createdMs: b.receivedMs, events: b.events });
    await archive.append({ sensorId: b.sensorId, tenant: b.tenant, seq: s, firstUnackedSeq: s, events: b.events.length, receivedMs: b.receivedMs }, payload);
  }
}

/** An archive in `dir` holding the attack's batches (small segments: several of them). */
export async function attackArchive(dir: string, options: { retentionMs?: number } = {}): Promise<Archive> {
  const archive = unwrap(await Archive.open({ dir, fsync: false, groupCommitMs: 0, segmentBytes: 1024, ...options }));
  await archiveBatches(archive, attackBatches());
  return archive;
}

/** The alert's detections: PowerShell (two rules) and nltest fired; whoami and ipconfig did not. */
export function attackDetections() {
  return phishing().filter((d) => d.ruleId !== 'model-process@1.0.0');
}

/** A later detection on whoami (the alert grows). */
export function whoamiDetection() {
  return detection([WHOAMI, CMD, PS, WORD, OUTLOOK, EXPLORER], { ruleId: 'win-whoami-all', title: 'whoami /all', severity: 'low', tags: ['attack.discovery', 'attack.t1033'] });
}

/** The detections are stored this long after T0 (the engine's clock, like receivedMs). */
export const STORED_AT = T0 + 8000;
