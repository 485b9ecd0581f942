/**
 * The behaviour model of a simulated fleet: benign activity for any host and window, plus the
 * schedule of attack scenarios. Benign activity depends only on the host (its seed) and the
 * virtual time; scenarios are computed once, when scheduled, and merged into the streams of the
 * hosts they touch.
 */
import type { Event } from '../../../common/events.js';
import { fail, ok, type Result } from '../../../common/errors.js';
import { bootEvents } from './boot.js';
import { liveAt } from './live.js';
import type { TimedEvent } from './emit.js';
import type { VirtualHost } from './fleet.js';
import { runScenario } from './scenarios/context.js';
import { SCENARIOS } from './scenarios/registry.js';
import { HostStream, type ScenarioRuns } from './stream.js';

export interface BehaviourOptions {
  /** Multiplies the random activity of every host (1 = the modelled office day). Default 1. */
  rate?: number;
  /** The fleet, when known: lets scenarios pick a default target (the town's file server). */
  fleet?: readonly VirtualHost[];
}

export interface ScheduleOptions {
  atMs: number;
  host: VirtualHost;
  target?: VirtualHost;
  /** Scenario-specific numbers (variant, intervalMs, durationMs, files...): see each scenario. */
  params?: Readonly<Record<string, number>>;
}

export interface ScheduledScenario {
  readonly id: number;
  readonly name: string;
  readonly atMs: number;
  readonly host: string;
  readonly target: string | null;
  /** Time of the scenario's first and last event. */
  readonly firstMs: number;
  readonly lastMs: number;
  /** Events per host name. */
  readonly counts: Readonly<Record<string, number>>;
  readonly techniques: readonly string[];
}

export class Behaviour implements ScenarioRuns {
  readonly rate: number;
  private readonly fleet: readonly VirtualHost[];
  private readonly runs = new Map<string, Array<{ id: number; events: readonly TimedEvent[] }>>();
  private readonly schedule: ScheduledScenario[] = [];

  constructor(options: BehaviourOptions = {}) {
    this.rate = options.rate ?? 1;
    this.fleet = options.fleet ?? [];
  }

  /** A host's events with fromMs <= time < toMs, in time order. Pure given the host, window, rate and schedule. */
  generate(host: VirtualHost, fromMs: number, toMs: number): Event[] {
    return new HostStream(host, fromMs, this.rate, this).take(toMs);
  }

  /** A stream over a host's events from fromMs on, for callers that advance through time. */
  stream(host: VirtualHost, fromMs: number, rate = this.rate): HostStream {
    return new HostStream(host, fromMs, rate, this);
  }

  /**
   * What a collector starting at `atMs` reports first: ProcessStart events of every process
   * running then (long-lived ones from boot, the user's session, activities and scenarios in
   * flight), in time order. Without `atMs`, only the long-lived processes.
   */
  snapshot(host: VirtualHost, atMs?: number): Event[] {
    const boot = bootEvents(host);
    return atMs === undefined ? boot : [...boot, ...liveAt(host, atMs, this.rate, this)];
  }

  scheduleScenario(name: string, options: ScheduleOptions): Result<ScheduledScenario> {
    const scenario = SCENARIOS.get(name);
    if (!scenario) return fail('VIGIE_CONFIG_INVALID', `unknown scenario "${name}" (known: ${[...SCENARIOS.keys()].join(', ')})`, { field: 'scenario' });
    const { host, atMs } = options;
    if (!Number.isFinite(atMs)) return fail('VIGIE_CONFIG_INVALID', 'atMs must be a finite time in ms', { field: 'atMs' });
    // A scenario without a target ignores one given to it (callers may pass one to every scenario).
    const target = scenario.target === 'none' ? null : options.target ?? scenario.defaultTarget?.(host, this.fleet) ?? null;
    const problem = scenario.check(host, target);
    if (problem) return fail('VIGIE_CONFIG_INVALID', problem, { field: 'scenario' });
    const id = this.schedule.length;
    const out = runScenario(scenario, id, atMs, host, target, options.params ?? {});
    let firstMs = Infinity;
    let lastMs = -Infinity;
    const counts: Record<string, number> = {};
    for (const [hostName, events] of out.events) {
      if (events.length === 0) continue;
      counts[hostName] = events.length;
      firstMs = Math.min(firstMs, events[0]!.timeMs);
      lastMs = Math.max(lastMs, events[events.length - 1]!.timeMs);
      let list = this.runs.get(hostName);
      if (!list) this.runs.set(hostName, (list = []));
      list.push({ id, events });
    }
    const scheduled: ScheduledScenario = {
      id, name, atMs, host: host.name, target: target?.name ?? null, firstMs, lastMs, counts, techniques: scenario.techniques,
    };
    this.schedule.push(scheduled);
    return ok(scheduled);
  }

  scheduled(): readonly ScheduledScenario[] {
    return this.schedule;
  }

  runsFor(hostName: string): ReadonlyArray<{ readonly id: number; readonly events: readonly TimedEvent[] }> {
    return this.runs.get(hostName) ?? [];
  }
}

export function createBehaviour(options: BehaviourOptions = {}): Behaviour {
  return new Behaviour(options);
}
