/**
 * The faults `vigie rollout simulate --fault KIND` injects into the new version. Crash faults are
 * hardware- and OS-dependent (as in July 2024: the validator's machines did not crash), so they
 * pass pre-release validation and must be caught by the rings; the two faults a validator that
 * runs the sensor's own interpreter can see (a bad signature, a schema mismatch) must never
 * leave validation.
 */
export const FAULT_KINDS = ['none', 'crash-on-load', 'crash-latent', 'cpu-burn', 'fp-storm', 'bad-signature', 'schema-mismatch'] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

export const CRASH_FAULTS: readonly FaultKind[] = ['crash-on-load', 'crash-latent'];

export interface FaultModel {
  kind: FaultKind;
  /** Hardware and OS groups that trigger it (crash faults), by index. */
  groups: ReadonlySet<number>;
  /** crash-latent: mean wait for the rare event on an affected host, ms. */
  latentMeanMs: number;
  /** crash-latent: chance the trigger is still there when the agent restarts (a crash loop). */
  latentPersists: number;
  /** cpu-burn: extra agent CPU, % of a core. */
  cpuBurn: number;
  /** fp-storm: detections per host-hour. */
  stormPerHour: number;
}

export function isFaultKind(s: string): s is FaultKind {
  return (FAULT_KINDS as readonly string[]).includes(s);
}

/** A fault model: crash faults hit a seeded quarter of the groups (at least one). */
export function faultModel(kind: FaultKind, groupCount: number, pick: (n: number) => number): FaultModel {
  const groups = new Set<number>();
  if (kind === 'crash-on-load' || kind === 'crash-latent') {
    const k = Math.max(1, Math.round(groupCount / 4));
    while (groups.size < k) groups.add(pick(groupCount));
  } else {
    for (let g = 0; g < groupCount; g++) groups.add(g);
  }
  return { kind, groups, latentMeanMs: 2 * 3_600_000, latentPersists: 0.5, cpuBurn: 25, stormPerHour: 60 };
}
