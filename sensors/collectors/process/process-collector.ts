/**
 * The process collector: process exec and exit on this Linux host.
 *
 * Mode "netlink": the kernel's process-events connector through the vigie_netlink addon, with
 * details read from /proc at each exec. Mode "procfs-poll": /proc scanned every pollIntervalMs.
 * "auto" tries netlink first; when the addon is missing, the kernel refuses or never answers, or
 * the socket fails later, the collector says why (VIGIE_NETLINK_UNAVAILABLE) and polls instead.
 *
 * Lifecycle of the netlink mode: subscribe first, then seed the process table from /proc, then
 * handle the records that arrived meanwhile: a process that starts during seeding is in one or the
 * other, never in neither.
 */
import { VigieError } from '../../../common/errors.js';
import type { VigieProblem } from '../../../common/errors.js';
import type { Collector, CollectorSink } from '../collector.js';
import { ProcReader } from '../../proc/proc-reader.js';
import { UserNames } from '../../proc/user-names.js';
import { loadNetlinkAddon } from './netlink-addon.js';
import { NetlinkSource } from './netlink-source.js';
import { NetlinkTracker } from './netlink-tracker.js';
import type { NetlinkRecord } from './netlink-records.js';
import { resolveProcessOptions } from './options.js';
import type { ProcessCollectorOptions, ResolvedProcessOptions } from './options.js';
import { ProcessEvents } from './process-events.js';
import type { ProcessEventsContext } from './process-events.js';
import { ProcessTable } from './process-table.js';
import { scanProcesses } from './proc-scan.js';
import { newStats } from './stats.js';
import type { ProcessCollectorStats } from './stats.js';

/** At most one VIGIE_COLLECTOR_OVERFLOW report per minute while the table stays full. */
const OVERFLOW_REPORT_MS = 60_000;

export class ProcessCollector implements Collector {
  readonly name = 'process';
  private currentMode: 'none' | 'netlink' | 'procfs-poll' = 'none';
  private readonly opts: ResolvedProcessOptions;
  private readonly counters = newStats();
  private sink: CollectorSink | undefined;
  private ctx: ProcessEventsContext | undefined;
  private build: ProcessEvents | undefined;
  private netlink: NetlinkSource | undefined;
  private timer: NodeJS.Timeout | undefined;
  private reconcile: NodeJS.Immediate | undefined;
  private scansSinceVerify = 0;
  private running = false;
  private refusedReported = 0;
  private lastOverflowReport = Number.NEGATIVE_INFINITY;

  constructor(options: ProcessCollectorOptions = {}) {
    this.opts = resolveProcessOptions(options);
  }

  /** "netlink" or "procfs-poll" once started ("none" before). */
  get mode(): string {
    return this.currentMode;
  }

  stats(): ProcessCollectorStats {
    return { ...this.counters, refused: this.ctx?.table.refused ?? 0 };
  }

  async start(sink: CollectorSink): Promise<void> {
    if (this.running) throw new Error('process collector already started');
    const o = this.opts;
    const reader = new ProcReader({ procRoot: o.procRoot, etcRoot: o.etcRoot });
    const boot = reader.bootTimeMs();
    if (!boot.ok) throw VigieError.from(boot.error);
    this.sink = sink;
    this.running = true;
    const ctx: ProcessEventsContext = {
      reader,
      users: new UserNames(() => reader.passwd()),
      table: new ProcessTable(o.maxTrackedProcesses, o.selfPid, o.selfFilter === 'descendants'),
      stats: this.counters,
      host: o.host,
      bootTimeMs: boot.value,
      maxCommandLineChars: o.maxCommandLineChars,
      problem: (p) => this.problem(p),
    };
    this.ctx = ctx;
    this.build = new ProcessEvents(ctx);

    if (o.mode === 'auto') {
      const refusal = await this.openNetlink(ctx);
      if (refusal === undefined) return;
      this.problem({ ...refusal, message: `${refusal.message}; falling back to /proc polling every ${o.pollIntervalMs} ms` });
    }
    if (!this.running) return; // stopped while the handshake was pending
    this.seed();
    this.startPolling();
  }

  async stop(): Promise<void> {
    this.running = false;
    if (this.timer) clearInterval(this.timer);
    if (this.reconcile) clearImmediate(this.reconcile);
    this.timer = undefined;
    this.reconcile = undefined;
    this.netlink?.close();
    this.netlink = undefined;
  }

  /** Opens and subscribes; undefined when netlink is running, else why not. */
  private async openNetlink(ctx: ProcessEventsContext): Promise<VigieProblem | undefined> {
    const addon = this.opts.netlinkAddon !== undefined ? { ok: true as const, value: this.opts.netlinkAddon }
      : loadNetlinkAddon(this.opts.addonPath);
    if (!addon.ok) return addon.error;
    const opened = await NetlinkSource.open(addon.value, {
      receiveBufferBytes: this.opts.receiveBufferBytes,
      ackTimeoutMs: this.opts.ackTimeoutMs,
      split: this.opts.netlinkSplit,
    });
    if (!opened.ok) return opened.error;
    if (!this.running) {
      opened.value.close();
      return undefined;
    }
    this.netlink = opened.value;
    this.currentMode = 'netlink';
    this.seed();
    const tracker = new NetlinkTracker(ctx, this.builder());
    opened.value.resume({
      records: (records, overruns) => this.onRecords(tracker, records, overruns),
      failed: (message) => this.onNetlinkFailed(message),
    });
    return undefined;
  }

  private onRecords(tracker: NetlinkTracker, records: NetlinkRecord[], overruns: number): void {
    if (!this.running) return;
    const events = tracker.handle(records);
    if (events.length > 0) this.sink?.events(events);
    if (overruns > 0) {
      this.counters.overruns += overruns;
      this.problem({ code: 'VIGIE_NETLINK_OVERRUN',
        message: `${overruns} netlink receive-buffer overrun(s): kernel process events were lost; rescanning /proc` });
      this.reconcile ??= setImmediate(() => {
        this.reconcile = undefined;
        this.counters.reconciles++;
        this.scan(true);
      });
    }
    this.checkOverflow();
  }

  private onNetlinkFailed(message: string): void {
    if (!this.running) return;
    this.netlink = undefined;
    this.problem({ code: 'VIGIE_NETLINK_UNAVAILABLE',
      message: `${message}; falling back to /proc polling every ${this.opts.pollIntervalMs} ms` });
    this.scan(true); // what happened while the socket was failing
    this.startPolling();
  }

  private seed(): void {
    const ctx = this.context();
    scanProcesses(ctx, this.builder(), { verify: false, emit: false, now: Date.now() });
  }

  private startPolling(): void {
    this.currentMode = 'procfs-poll';
    this.timer = setInterval(() => {
      this.scansSinceVerify++;
      const verify = this.scansSinceVerify >= this.opts.verifyEvery;
      if (verify) this.scansSinceVerify = 0;
      this.scan(verify);
    }, this.opts.pollIntervalMs);
  }

  private scan(verify: boolean): void {
    if (!this.running) return;
    const events = scanProcesses(this.context(), this.builder(), { verify, emit: true, now: Date.now() });
    if (events.length > 0) this.sink?.events(events);
    this.checkOverflow();
  }

  private checkOverflow(): void {
    const refused = this.context().table.refused;
    if (refused === this.refusedReported) return;
    const now = Date.now();
    if (now - this.lastOverflowReport < OVERFLOW_REPORT_MS) return;
    this.lastOverflowReport = now;
    this.problem({ code: 'VIGIE_COLLECTOR_OVERFLOW',
      message: `process table full (${this.opts.maxTrackedProcesses}): ${refused - this.refusedReported} process(es) not tracked` });
    this.refusedReported = refused;
  }

  private problem(p: VigieProblem): void {
    this.sink?.problem(p);
  }

  private context(): ProcessEventsContext {
    if (!this.ctx) throw new Error('process collector not started');
    return this.ctx;
  }

  private builder(): ProcessEvents {
    if (!this.build) throw new Error('process collector not started');
    return this.build;
  }
}
