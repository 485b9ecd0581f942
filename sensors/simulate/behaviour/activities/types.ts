/**
 * What an activity is: a small function that, given the slot's context and a start time, emits
 * one coherent piece of host behaviour (a tab opened, a cron job run, an SMB session served).
 * Every event an activity emits falls within MAX_SPAN_MS of the slot's end.
 */
import type { BootSet } from '../boot.js';
import type { Rhythm } from '../clock.js';
import type { Builder, Proc, Who } from '../emit.js';
import type { VirtualHost } from '../fleet.js';
import type { Rng, Weighted } from '../prng.js';
import type { Session } from '../session.js';
import { CONHOST, CONHOST_CMD } from '../paths.js';

export interface SlotCtx {
  readonly host: VirtualHost;
  readonly b: Builder;
  readonly rng: Rng;
  readonly boot: BootSet;
  /** The user's session when the slot is inside its active part (workstations). */
  readonly session: Session | null;
}

export type Activity = (ctx: SlotCtx, t: number) => void;

/**
 * A job that runs at fixed times: when (local minute since epoch - phase - host offset) is a
 * multiple of `period`. The host offset, drawn from [0, jitter), spreads hosts over the period.
 */
export interface ClockJob {
  readonly id: number;
  readonly period: number;
  readonly phase: number;
  readonly jitter: number;
  readonly workdaysOnly?: boolean;
  /** Only in these local hours [from, to). */
  readonly hours?: readonly [number, number];
  /** Second-level precision of the start inside the minute: cron starts at once, tasks spread. */
  readonly spreadMs?: number;
  readonly run: Activity;
}

/** A Poisson stream of random activities. */
export interface ActivitySource {
  /** "session": office rhythm, and only while the user's session is active. */
  readonly rhythm: Rhythm | 'session';
  /** Mean activities per minute at full intensity, before the host and rate factors. */
  perMinute(host: VirtualHost): number;
  readonly table: Weighted<Activity>;
}

export interface RoleProfile {
  readonly sources: readonly ActivitySource[];
  readonly clock: readonly ClockJob[];
}

/** Runs a console program: the process, its conhost, both exits. Returns the process. */
export function consoleRun(
  b: Builder, t: number, parent: Proc, image: string, cmd: string, durationMs: number, exitCode = 0, who: Who | null = null,
): Proc {
  const p = b.spawn(t, parent, image, cmd, who);
  const con = b.spawn(t + 8, p, CONHOST, CONHOST_CMD);
  b.exit(t + durationMs, con);
  b.exit(t + durationMs + 3, p, exitCode);
  return p;
}
