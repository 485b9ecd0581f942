/**
 * Which alert a detection belongs to. An alert is one host's process tree within a time window:
 * the tree of a detection is named by its root, the highest ancestor below a long-lived shared
 * process (services.exe, svchost.exe, explorer.exe, systemd, cron, sshd...), since everything on a
 * host descends from those and grouping by them would fold a whole day into one alert.
 *
 * A detection joins an open alert of the same tenant and host whose time span is within the window:
 * first one of the same tree; failing that, one that already holds the same rule (repeats of a
 * rule on a host are counted, not raised again); otherwise it opens a new alert.
 */
import type { Detection, ProcessSummary } from '../detect/detection.js';
import { imageStem } from './attack.js';

/** Image stems of long-lived processes that many unrelated trees hang from. */
export const SHARED_ROOTS: ReadonlySet<string> = new Set([
  'system', 'smss', 'csrss', 'wininit', 'winlogon', 'services', 'svchost', 'lsass', 'explorer', 'userinit', 'sihost',
  'taskhostw', 'taskeng', 'wmiprvse', 'dllhost', 'runtimebroker',
  'systemd', 'init', 'cron', 'crond', 'sshd', 'containerd-shim', 'containerd-shim-runc-v2', 'dockerd', 'containerd', 'kthreadd',
]);

const keyOf = (p: ProcessSummary): string => `${p.pid}:${p.startTimeMs}`;

/** The process key of the root of the detection's tree (see above); `host` when no process is known. */
export function treeKeyOf(d: Detection): string {
  const chain = d.evidence.ancestry;
  if (chain.length === 0) return d.processKey && d.processKey !== '0:0' ? d.processKey : 'host';
  let root = chain[0]!;
  for (let i = 1; i < chain.length; i++) {
    const p = chain[i]!;
    if (SHARED_ROOTS.has(imageStem(p.image))) break;
    root = p;
  }
  return keyOf(root);
}

export interface GroupCandidate {
  id: number;
  treeKey: string;
  rules: readonly string[];
  lastMs: number;
}

/** The alert to join among open alerts of the same tenant and host within the window, or undefined. */
export function chooseAlert(candidates: readonly GroupCandidate[], treeKey: string, ruleId: string): number | undefined {
  const byRecency = [...candidates].sort((a, b) => b.lastMs - a.lastMs);
  return byRecency.find((c) => c.treeKey === treeKey)?.id ?? byRecency.find((c) => c.rules.includes(ruleId))?.id;
}
