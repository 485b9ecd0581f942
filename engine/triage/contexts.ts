/**
 * An alert's process context: the tree around its processes as the archived telemetry of its
 * sensor shows it (ancestors, siblings, children that fired nothing, exits, network peers), built
 * once from the archive and kept in the store (`alert_contexts`), so the alert page reads one row.
 *
 * - Rebuilt when the alert has more detections than the kept one was built for, and, while
 *   telemetry of its window could still arrive (the receive window is not over), when viewed
 *   `refreshMs` after it was built.
 * - Without an archive, or when the archive no longer holds the window (retention), the tree is
 *   drawn from the alert's detections and the page says why; nothing is kept then.
 * - Reads of the archive are bounded: `maxConcurrent` at a time, `maxWaiting` waiting; overflow
 *   policy: answer with the kept context, however old, or the detections' tree, and say so
 *   (counted in `counters.busy`). Two views of one alert share one build.
 * Only called with an alert the caller found in its scope (view.ts): this adds no access path.
 */
import { VigieError } from '../../common/errors.js';
import type { Logger } from '../../common/log.js';
import type { RecordWindowSource } from '../archive/index.js';
import type { AlertRecord, SqliteStore, StoredDetection } from '../store/index.js';
import { SEVERITY_RANK } from '../store/index.js';
import { COLLECT_DEFAULTS, collectWindow, type CollectLimits } from './context-events.js';
import { selectContext } from './context-select.js';
import { CONTEXT_WINDOW_DEFAULTS, contextWindow, type ContextWindowOptions } from './context-window.js';
import { buildTree, type ProcessTree } from './process-tree.js';

export interface ContextInfo {
  /** Where the tree comes from: the archived telemetry around the alert, or its detections only. */
  source: 'archive' | 'detections';
  /** In plain words: where the tree comes from, what limited it. */
  note: string;
  /** The event-time window read from the archive, null when none was. */
  window: { fromMs: number; toMs: number } | null;
  /** Archived batches and events of the window read. */
  batches: number;
  events: number;
  /** When it was built (null: just now, from the detections). */
  computedMs: number | null;
  /** Served from the store without reading the archive. */
  cached: boolean;
}

export interface ProcessContextOptions {
  /** The archive (the engine's open Archive, or an ArchiveReader); undefined: none. */
  source?: RecordWindowSource | undefined;
  /** Why there is no source, for the page (default: "no archive is available here"). */
  unavailable?: string;
  /** The archive's retention, when known: a window reaching past it is said to be partly aged out. */
  retentionMs?: number;
  window?: Partial<ContextWindowOptions>;
  limits?: Partial<CollectLimits>;
  /** A context built while its window was still open is rebuilt when viewed this much later (default 30 s). */
  refreshMs?: number;
  maxConcurrent?: number;
  maxWaiting?: number;
  now?: () => number;
  log?: Logger;
}

interface Built { tree: ProcessTree; info: ContextInfo }

export class ProcessContexts {
  readonly counters = { cache_hits: 0, built: 0, fallbacks: 0, busy: 0, damaged_records: 0 };
  private readonly inFlight = new Map<number, Promise<Built>>();
  private readonly waiting: (() => void)[] = [];
  private active = 0;
  private readonly windowOptions: ContextWindowOptions;
  private readonly limits: CollectLimits;
  private readonly now: () => number;

  constructor(private readonly store: SqliteStore, private readonly o: ProcessContextOptions = {}) {
    this.windowOptions = { ...CONTEXT_WINDOW_DEFAULTS, ...o.window };
    this.limits = { ...COLLECT_DEFAULTS, ...o.limits };
    this.now = o.now ?? Date.now;
  }

  /** The tree of `alert` (in the caller's scope) and where it comes from; `detections` are its latest. */
  async treeOf(alert: AlertRecord, detections: readonly StoredDetection[]): Promise<Built> {
    const kept = this.kept(alert);
    const now = this.now();
    const current = kept !== undefined && kept.detections === alert.detections;
    if (current && (kept.complete || now - kept.info.computedMs! < (this.o.refreshMs ?? 30_000))) {
      this.counters.cache_hits++;
      return { tree: kept.tree, info: { ...kept.info, cached: true } };
    }
    const unavailable = this.o.unavailable ?? 'No archive is available here';
    if (!this.o.source) {
      // Built while its window was open, by a process that had the archive (the engine): still
      // the better tree for the same detections.
      if (current) return { tree: kept.tree, info: { ...kept.info, cached: true, note: `${kept.info.note} ${unavailable} to bring it up to date.` } };
      return this.fallback(detections, `${unavailable}: drawn from the alert's detections only.`);
    }
    const running = this.inFlight.get(alert.id);
    if (running) return running;
    if (this.active >= (this.o.maxConcurrent ?? 2) && this.waiting.length >= (this.o.maxWaiting ?? 16)) {
      this.counters.busy++;
      if (kept) return { tree: kept.tree, info: { ...kept.info, cached: true, note: `${kept.info.note} The archive is busy: this context may miss the latest detections; reload to rebuild it.` } };
      return this.fallback(detections, 'The archive is busy: drawn from the alert\'s detections only; reload to read the archive.');
    }
    const build = this.queued(() => this.build(this.o.source!, alert, detections)).finally(() => this.inFlight.delete(alert.id));
    this.inFlight.set(alert.id, build);
    return build;
  }

  private kept(alert: AlertRecord): { detections: number; complete: boolean; tree: ProcessTree; info: ContextInfo } | undefined {
    const row = this.store.alertContexts.get(alert.id);
    const body = row?.body as Partial<Built> | undefined;
    if (!row || !Array.isArray(body?.tree?.roots) || typeof body?.info?.note !== 'string') return undefined;
    return { detections: row.detections, complete: row.complete, tree: body.tree, info: { ...body.info, computedMs: row.computedMs } };
  }

  /** Runs `fn` in one of `maxConcurrent` slots; a finished build hands its slot to the next waiting. */
  private async queued<T>(fn: () => Promise<T>): Promise<T> {
    if (this.active >= (this.o.maxConcurrent ?? 2)) await new Promise<void>((resolve) => this.waiting.push(resolve));
    else this.active++;
    try {
      return await fn();
    } finally {
      const next = this.waiting.shift();
      if (next) next();
      else this.active--;
    }
  }

  private fallback(detections: readonly StoredDetection[], note: string): Built {
    this.counters.fallbacks++;
    return { tree: buildTree(detections), info: { source: 'detections', note, window: null, batches: 0, events: 0, computedMs: null, cached: false } };
  }

  private async build(source: RecordWindowSource, alert: AlertRecord, detections: readonly StoredDetection[]): Promise<Built> {
    const w = contextWindow(alert, detections, this.windowOptions);
    const span = source.timeSpan();
    if (!span || span.oldestMs > w.received.toMs) {
      const why = span ? `The archive no longer holds this alert's telemetry (its oldest batch was received ${iso(span.oldestMs)}, after this alert's window)` : 'The archive holds no telemetry';
      return this.fallback(detections, `${why}: drawn from the alert's detections only.`);
    }
    let archived;
    try {
      archived = await collectWindow(source, alert.sensorId, alert.tenant, w, this.limits);
    } catch (e) {
      if (!(e instanceof VigieError)) throw e;
      this.o.log?.warn('alert context: archive not readable', { alert: alert.id, error: e });
      return this.fallback(detections, `The archive could not be read (${e.code}): drawn from the alert's detections only.`);
    }
    const selected = selectContext(archived.processes, focusOf(detections), parentsOf(detections));
    const tree = buildTree(detections, selected);
    const now = this.now();
    const notes = [`Drawn from the archived telemetry of sensor ${alert.sensorId} from ${iso(w.events.fromMs)} to ${iso(w.events.toMs)} (${archived.batches} batches, ${archived.events} events) and the alert's detections: ancestors, siblings and descendants of the processes that fired.`];
    // Only with the retention known: an archive younger than the window (a new engine) lost nothing.
    const horizon = this.o.retentionMs === undefined ? -Infinity : now - this.o.retentionMs;
    if (span.oldestMs > w.received.fromMs && w.received.fromMs < horizon) notes.push(`The start of that window has aged out of the archive (retention; its oldest batch was received ${iso(span.oldestMs)}).`);
    if (archived.truncated) notes.push(`Reading stopped early: ${archived.truncated}.`);
    if (tree.truncated) notes.push(`Cut at ${tree.nodes} processes (${tree.omitted} more not shown).`);
    if (archived.damaged > 0) notes.push(`${archived.damaged} damaged or undecodable archive records were skipped.`);
    const info: ContextInfo = { source: 'archive', note: notes.join(' '), window: w.events, batches: archived.batches, events: archived.events, computedMs: now, cached: false };
    // Complete once the receive window is over: telemetry of the window arriving later (a sensor
    // back from a long outage) is then left out, until a new detection rebuilds the context.
    this.store.alertContexts.put({ alertId: alert.id, detections: alert.detections, computedMs: now, complete: now > w.received.toMs, source: 'archive', body: { tree, info } });
    this.counters.built++;
    this.counters.damaged_records += archived.damaged;
    return { tree, info };
  }
}

/** The processes that fired: the first at the alert's severity (the tree's focus) first. */
function focusOf(detections: readonly StoredDetection[]): string[] {
  const ordered = [...detections].sort((a, b) => a.timeMs - b.timeMs || a.id - b.id);
  let primary: StoredDetection | undefined;
  for (const d of ordered) if (!primary || SEVERITY_RANK[d.severity] > SEVERITY_RANK[primary.severity]) primary = d;
  return [...new Set([...(primary ? [primary.processKey] : []), ...ordered.map((d) => d.processKey)])];
}

/** Parent links from the detections' ancestry (for processes that started before the window). */
function parentsOf(detections: readonly StoredDetection[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const d of detections) {
    const chain = d.evidence.ancestry;
    for (let i = 0; i + 1 < chain.length; i++) out.set(`${chain[i]!.pid}:${chain[i]!.startTimeMs}`, `${chain[i + 1]!.pid}:${chain[i + 1]!.startTimeMs}`);
  }
  return out;
}

const iso = (ms: number): string => new Date(ms).toISOString().replace('.000Z', 'Z');
