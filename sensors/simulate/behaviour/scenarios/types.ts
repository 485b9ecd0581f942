/**
 * Scripted attacks. A scenario is a named builder of labelled events on one or more hosts; it is
 * scheduled at a virtual time and its events merge into the hosts' benign streams.
 */
import type { BootSet } from '../boot.js';
import type { Builder, Proc, Who } from '../emit.js';
import type { VirtualHost } from '../fleet.js';
import type { Rng } from '../prng.js';

/** An interactive shell on a host: the user's desktop (Windows) or an ssh login shell (Linux). */
export interface Desktop {
  /** explorer.exe, or the login shell (-bash). */
  readonly shell: Proc;
  readonly who: Who;
  /** The user's running Outlook, when the desktop is the user's real session. */
  readonly outlook: Proc | null;
}

export interface ScenarioContext {
  readonly name: string;
  readonly atMs: number;
  readonly host: VirtualHost;
  readonly target: VirtualHost | null;
  readonly rng: Rng;
  readonly params: Readonly<Record<string, number>>;
  /** The labelled builder for events on `host` (the source, or any other host involved). */
  on(host: VirtualHost): Builder;
  boot(host: VirtualHost): BootSet;
  /**
   * An interactive shell on `host` at time `t`: the user's own session when one is active,
   * otherwise a logon the scenario emits itself (an RDP or ssh logon a little before `t`).
   */
  desktop(host: VirtualHost, t: number, account?: string): Desktop;
}

export interface Scenario {
  readonly name: string;
  /** One line: what it shows. */
  readonly summary: string;
  /** MITRE ATT&CK technique ids. */
  readonly techniques: readonly string[];
  /** Whether `target` is used (lateral movement: the host moved to; ransomware: the file server). */
  readonly target: 'required' | 'optional' | 'none';
  /** Why the scenario cannot run with these hosts, or undefined when it can. */
  check(host: VirtualHost, target: VirtualHost | null): string | undefined;
  /** When no target is given, which fleet host to use (if the behaviour knows the fleet). */
  defaultTarget?(host: VirtualHost, fleet: readonly VirtualHost[]): VirtualHost | null;
  build(ctx: ScenarioContext): void;
}

/** Addresses attackers use in scenarios: hosting ranges, not the fleet's. */
export const ATTACKER_BLOCKS = ['185.225.17.', '45.137.21.', '91.215.85.', '193.233.20.', '5.252.178.', '194.26.29.'] as const;

export function attackerIp(rng: Rng): string {
  return `${rng.pick(ATTACKER_BLOCKS)}${2 + rng.int(250)}`;
}
