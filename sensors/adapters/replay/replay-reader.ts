/**
 * A recorded Sysmon log as a stream of Vigie event arrays: open (open-log.ts), frame, translate
 * (the Sysmon adapter), chunk. Every failure is a value in the chunk's `problems`, with file and
 * line; the stream goes on after a bad record and ends after an unreadable file.
 */
import type { Event, EventKind } from '../../../common/events.js';
import { eventKind } from '../../../common/events.js';
import type { VigieProblem } from '../../../common/errors.js';
import type { ProcessRefsStats, SysmonTranslatorOptions } from '../sysmon/index.js';
import { SysmonTranslator } from '../sysmon/index.js';
import type { LogFormat, OpenLogOptions } from './open-log.js';
import { openLog } from './open-log.js';

export interface ReplayOptions extends OpenLogOptions, SysmonTranslatorOptions {
  /** Events per chunk (a chunk also closes at this many problems). Default 1,000. */
  chunkSize?: number;
  /** Keep only events of this host name (exact match). Problems are reported whatever their host. */
  host?: string;
  /** Stops the read; the chunk in progress is dropped. */
  signal?: AbortSignal;
}

export interface ReplayChunk {
  /** Translated events, in file order. */
  events: Event[];
  /** Problems met since the previous chunk, in file order. */
  problems: VigieProblem[];
}

export interface ReplayStats {
  file: string;
  gzip: boolean;
  format: LogFormat;
  /** Records read: each line (JSON lines) or array element, good or bad. Blank lines do not count. */
  records: number;
  /** Events translated and kept (after the host filter), by kind. */
  events: number;
  byKind: Record<EventKind, number>;
  /** Records that are not translated by design, by "origin:event id" ("sysmon:11", "Security:4688"). */
  unsupported: Record<string, number>;
  /** Events dropped by the host filter. */
  otherHosts: number;
  /** Kept events whose label is not empty. */
  labelled: number;
  problems: number;
  bytesRead: number;
  processRefs: ProcessRefsStats | undefined;
}

export interface ReplayReader extends AsyncIterable<ReplayChunk> {
  /** Live counters, final when the iteration ends. */
  readonly stats: ReplayStats;
}

export const DEFAULT_CHUNK_SIZE = 1000;

/** Streams `file` (JSON lines or a JSON array, gzip or not). Nothing is read before iteration starts. */
export function readReplay(file: string, options: ReplayOptions = {}): ReplayReader {
  return new Replay(file, options);
}

function emptyStats(file: string): ReplayStats {
  return {
    file,
    gzip: false,
    format: 'jsonl',
    records: 0,
    events: 0,
    byKind: { process_start: 0, process_exit: 0, network: 0, dns: 0 },
    unsupported: {},
    otherHosts: 0,
    labelled: 0,
    problems: 0,
    bytesRead: 0,
    processRefs: undefined,
  };
}

class Replay implements ReplayReader {
  readonly stats: ReplayStats;
  private started = false;

  constructor(
    private readonly file: string,
    private readonly options: ReplayOptions,
  ) {
    this.stats = emptyStats(file);
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<ReplayChunk> {
    if (this.started) throw new Error('a ReplayReader is iterated once'); // a bug, not an input problem
    this.started = true;
    const { file, options, stats } = this;
    const chunkSize = Math.max(1, options.chunkSize ?? DEFAULT_CHUNK_SIZE);
    const opened = await openLog(file, options);
    if (!opened.ok) {
      stats.problems++;
      yield { events: [], problems: [opened.error] };
      return;
    }
    const log = opened.value;
    stats.gzip = log.gzip;
    const translator = new SysmonTranslator(options);
    let events: Event[] = [];
    let problems: VigieProblem[] = [];
    try {
      for await (const item of log.items()) {
        if (options.signal?.aborted) return;
        if ('ioError' in item) {
          problems.push({ code: 'VIGIE_REPLAY_IO', message: item.ioError, location: { file, line: item.line } });
          stats.problems++;
          break;
        }
        stats.records++;
        if ('error' in item) {
          problems.push({ code: 'VIGIE_SYSMON_PARSE', message: item.error, location: { file, line: item.line } });
          stats.problems++;
        } else {
          const outcome = translator.translateLine(item.text, { file, line: item.line });
          if (outcome.kind === 'event') {
            const e = outcome.event;
            if (options.host !== undefined && e.host !== options.host) stats.otherHosts++;
            else {
              events.push(e);
              stats.events++;
              const kind = eventKind(e);
              if (kind) stats.byKind[kind]++;
              if (e.label) stats.labelled++;
            }
          } else if (outcome.kind === 'unsupported') {
            stats.unsupported[outcome.key] = (stats.unsupported[outcome.key] ?? 0) + 1;
          } else {
            problems.push(outcome.problem);
            stats.problems++;
          }
        }
        if (events.length >= chunkSize || problems.length >= chunkSize) {
          const chunk = { events, problems };
          events = [];
          problems = [];
          this.sync(log.format(), log.bytesRead(), translator);
          yield chunk;
        }
      }
      this.sync(log.format(), log.bytesRead(), translator);
      if (events.length > 0 || problems.length > 0) yield { events, problems };
    } finally {
      this.sync(log.format(), log.bytesRead(), translator);
    }
  }

  private sync(format: LogFormat, bytesRead: number, translator: SysmonTranslator): void {
    this.stats.format = format;
    this.stats.bytesRead = bytesRead;
    this.stats.processRefs = translator.processRefStats();
  }
}
