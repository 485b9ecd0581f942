/**
 * Per-tenant controls over what a town's hosts run, whatever the rollout does:
 * - `paused`: take nothing new; keep what runs;
 * - `delayHours`: take a version only N hours after it became generally available, and take
 *   no part in rollouts (no canary hosts in that tenant);
 * - `pin`: run this version of a kind;
 * - `oneBehind`: run the generally available version before the latest (N-1).
 */
import type { ContentKind } from '../bundle/manifest.js';

export interface TenantControl {
  tenant: string;
  paused?: boolean;
  delayHours?: number;
  pin?: Partial<Record<ContentKind, string>>;
  oneBehind?: boolean;
}

export interface GaVersion {
  version: string;
  sha256: string;
  /** When it became generally available (rollout complete, or installed as the base). */
  gaMs: number;
}

export type TenantDecision =
  | { take: 'rollout' }
  | { take: 'version'; version: string; sha256: string }
  | { take: 'keep' };

/**
 * What a tenant's host should run for one kind, given the GA history (oldest first).
 * `take: 'rollout'` means: follow the rings (no control applies).
 */
export function tenantDecision(control: TenantControl | undefined, kind: ContentKind, history: readonly GaVersion[], nowMs: number, pinned: (v: string) => GaVersion | undefined): TenantDecision {
  if (!control) return { take: 'rollout' };
  const pin = control.pin?.[kind];
  if (pin) {
    const v = pinned(pin);
    return v ? { take: 'version', version: v.version, sha256: v.sha256 } : { take: 'keep' };
  }
  if (control.paused) return { take: 'keep' };
  if (control.oneBehind) {
    const v = history.length >= 2 ? history[history.length - 2]! : history[0];
    return v ? { take: 'version', version: v.version, sha256: v.sha256 } : { take: 'keep' };
  }
  if (control.delayHours !== undefined && control.delayHours > 0) {
    const cutoff = nowMs - control.delayHours * 3_600_000;
    let chosen: GaVersion | undefined;
    for (const v of history) if (v.gaMs <= cutoff) chosen = v;
    chosen ??= history[0];
    return chosen ? { take: 'version', version: chosen.version, sha256: chosen.sha256 } : { take: 'keep' };
  }
  return { take: 'rollout' };
}
