/**
 * The simulated fleet's collector: feeds one virtual host's generated events to the real sensor
 * agent. Started, it first reports the processes already running, then, on a timer, every event
 * whose virtual time has come. Virtual time runs `acceleration` times faster than the real clock
 * from `startMs`; `rate` multiplies the host's activity (load tests). In manual mode there is no
 * timer: tests move virtual time with advanceTo()/advanceBy() and never sleep.
 */
import type { Event } from '../../../common/events.js';
import type { Collector, CollectorSink } from '../../collectors/collector.js';
import type { Behaviour } from './behaviour.js';
import type { VirtualHost } from './fleet.js';
import type { HostStream } from './stream.js';

export interface SimulatedCollectorOptions {
  behaviour: Behaviour;
  host: VirtualHost;
  /** Virtual time at start. Default: the real clock when start() is called. */
  startMs?: number;
  /** Virtual ms per real ms. Default 1 (real time). */
  acceleration?: number;
  /** Activity multiplier for this host. Default: the behaviour's rate. */
  rate?: number;
  /** Real-time interval between deliveries. Default 250 ms. */
  tickMs?: number;
  /** Report the processes running at start. Default true. */
  snapshot?: boolean;
  /** No timer; drive virtual time with advanceTo()/advanceBy(). Default false. */
  manual?: boolean;
  /** The real clock, in ms. Default Date.now. */
  now?: () => number;
  /** Largest array handed to the sink in one call. Default 1000. */
  maxChunk?: number;
}

export class SimulatedCollector implements Collector {
  readonly name = 'simulated';
  readonly mode = 'simulated';
  private sink: CollectorSink | null = null;
  private stream: HostStream | null = null;
  private timer: NodeJS.Timeout | undefined;
  private realStart = 0;
  private virtualStart = 0;
  /** Events handed to the sink so far (snapshot included). */
  emitted = 0;

  constructor(private readonly o: SimulatedCollectorOptions) {
    const a = o.acceleration ?? 1;
    if (!(a > 0) || !((o.rate ?? 1) >= 0) || !((o.tickMs ?? 250) > 0)) {
      throw new RangeError('bug: SimulatedCollector needs acceleration > 0, rate >= 0 and tickMs > 0 (validate config before)');
    }
  }

  get host(): VirtualHost {
    return this.o.host;
  }

  /** Virtual time up to which events were delivered (exclusive). */
  get virtualNow(): number {
    return this.stream?.position ?? this.o.startMs ?? Number.NaN;
  }

  async start(sink: CollectorSink): Promise<void> {
    if (this.sink) return;
    const now = this.o.now ?? Date.now;
    this.sink = sink;
    this.realStart = now();
    this.virtualStart = this.o.startMs ?? this.realStart;
    const { behaviour, host } = this.o;
    this.stream = behaviour.stream(host, this.virtualStart, this.o.rate ?? behaviour.rate);
    if (this.o.snapshot ?? true) this.deliver(behaviour.snapshot(host, this.virtualStart));
    if (!this.o.manual) {
      this.timer = setInterval(() => this.tick(now()), this.o.tickMs ?? 250);
      this.timer.unref();
    }
  }

  /** Delivers every event before `virtualMs`; returns how many. */
  advanceTo(virtualMs: number): number {
    if (!this.stream || !this.sink) return 0;
    return this.deliver(this.stream.take(virtualMs));
  }

  advanceBy(ms: number): number {
    return this.advanceTo(this.virtualNow + ms);
  }

  private tick(realNow: number): void {
    this.advanceTo(this.virtualStart + (realNow - this.realStart) * (this.o.acceleration ?? 1));
  }

  private deliver(events: Event[]): number {
    const sink = this.sink;
    if (!sink || events.length === 0) return 0;
    const max = this.o.maxChunk ?? 1000;
    if (events.length <= max) sink.events(events);
    else for (let i = 0; i < events.length; i += max) sink.events(events.slice(i, i + max));
    this.emitted += events.length;
    return events.length;
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    this.sink = null;
  }
}
