/**
 * The Sysmon adapter: one log record (parsed JSON, or one line of text) in, one outcome out:
 * a Vigie event, an "unsupported" verdict (another event id, another log), or a typed problem
 * (VIGIE_SYSMON_PARSE with file, line and field). No I/O. The only state is the bounded
 * ProcessGuid -> ProcessRef map that gives every event of one process the same identity, so one
 * translator must see a log in order (see process-refs.ts for the rule).
 */
import { Source } from '../../../common/events.js';
import type { Event } from '../../../common/events.js';
import type { ErrorLocation, VigieProblem } from '../../../common/errors.js';
import { buildDns, buildNetwork, buildProcessExit, buildProcessStart } from './event-builders.js';
import type { Fields } from './fields.js';
import { parseUtcTime } from './fields.js';
import { labelOf } from './label.js';
import type { ProcessRefsStats } from './process-refs.js';
import { ProcessRefs } from './process-refs.js';
import type { SysmonRecord } from './record.js';
import { readSysmonRecord } from './record.js';

/** Sysmon event ids this adapter translates. */
export const SysmonEventId = {
  PROCESS_CREATE: 1,
  NETWORK_CONNECT: 3,
  PROCESS_TERMINATE: 5,
  DNS_QUERY: 22,
} as const;

export type TranslateOutcome =
  | { kind: 'event'; event: Event }
  /** Not an error: another Sysmon event id or another log. `key` is "sysmon:11", "Security:4688"... */
  | { kind: 'unsupported'; key: string }
  | { kind: 'problem'; problem: VigieProblem };

export interface SysmonTranslatorOptions {
  /** Bound on remembered ProcessGuids (see process-refs.ts). Default 100,000. */
  processRefCapacity?: number;
}

type Where = Pick<ErrorLocation, 'file' | 'line'>;

function problem(message: string, where: Where | undefined, field?: string): TranslateOutcome {
  const location: ErrorLocation = { ...where };
  if (field !== undefined) location.field = field;
  return { kind: 'problem', problem: { code: 'VIGIE_SYSMON_PARSE', message, location } };
}

function fieldProblem(failed: { field: string; message: string }, where: Where | undefined): TranslateOutcome {
  return problem(failed.message, where, failed.field);
}

/** Event time: UtcTime when present (it must then parse), else the record's own timestamp. */
function eventTime(record: SysmonRecord): number | 'bad-utc' | undefined {
  const utc = record.fields.UtcTime;
  if (typeof utc === 'string' && utc !== '' && utc !== '-') return parseUtcTime(utc) ?? 'bad-utc';
  return record.recordTime === undefined ? undefined : parseUtcTime(record.recordTime);
}

export class SysmonTranslator {
  private readonly refs: ProcessRefs;

  constructor(options: SysmonTranslatorOptions = {}) {
    this.refs = new ProcessRefs(options.processRefCapacity);
  }

  /** Parses one line of JSON text and translates it. */
  translateLine(line: string, where?: Where): TranslateOutcome {
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (err) {
      return problem(`not valid JSON: ${(err as Error).message}`, where);
    }
    return this.translate(value, where);
  }

  /** Translates one parsed record. */
  translate(value: unknown, where?: Where): TranslateOutcome {
    const record = readSysmonRecord(value);
    if (!record) return problem('record is not a JSON object', where);
    const { eventId } = record;
    if (!record.sysmon) return { kind: 'unsupported', key: `${record.origin}:${eventId ?? '?'}` };
    if (eventId === undefined) return problem('Sysmon record without a numeric EventID', where, 'EventID');
    if (
      eventId !== SysmonEventId.PROCESS_CREATE &&
      eventId !== SysmonEventId.NETWORK_CONNECT &&
      eventId !== SysmonEventId.PROCESS_TERMINATE &&
      eventId !== SysmonEventId.DNS_QUERY
    ) {
      return { kind: 'unsupported', key: `sysmon:${eventId}` };
    }

    const timeMs = eventTime(record);
    if (timeMs === 'bad-utc') return problem('UtcTime is not a time', where, 'UtcTime');
    if (timeMs === undefined) return problem('record has no UtcTime nor a timestamp of its own', where, 'UtcTime');
    const host = record.host;
    if (host === undefined) return problem('record names no host (Hostname, Computer)', where, 'Hostname');

    const event: Event = { timeMs, source: Source.SOURCE_SYSMON, host, label: labelOf(record.raw) };
    const f: Fields = record.fields;
    switch (eventId) {
      case SysmonEventId.PROCESS_CREATE: {
        const built = buildProcessStart(f, timeMs, this.refs);
        if (!built.ok) return fieldProblem(built, where);
        event.processStart = built.value;
        break;
      }
      case SysmonEventId.NETWORK_CONNECT: {
        const built = buildNetwork(f, timeMs, this.refs);
        if (!built.ok) return fieldProblem(built, where);
        event.network = built.value;
        break;
      }
      case SysmonEventId.PROCESS_TERMINATE: {
        const built = buildProcessExit(f, timeMs, this.refs);
        if (!built.ok) return fieldProblem(built, where);
        event.processExit = built.value;
        break;
      }
      default: {
        const built = buildDns(f, timeMs, this.refs);
        if (!built.ok) return fieldProblem(built, where);
        event.dns = built.value;
      }
    }
    return { kind: 'event', event };
  }

  /** How the ProcessGuid map fares: hits, misses, evictions, late creates. */
  processRefStats(): ProcessRefsStats {
    return this.refs.stats();
  }
}
