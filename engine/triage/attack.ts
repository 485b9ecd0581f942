/**
 * ATT&CK tactic and technique of a detection, so that every alert carries both.
 *
 * Rules: from their Sigma tags. The first `attack.tNNNN[.NNN]` tag is the technique; the first tag
 * naming a tactic (`attack.execution`, `attack.defense_evasion`...) is the tactic. A rule with a
 * technique but no tactic tag gets the technique's usual tactic from TECHNIQUE_TACTIC.
 *
 * Models name no technique; their mapping (documented in engine/triage/README.md):
 * - process model, the subject is a shell or script host (powershell, pwsh, cmd, wscript, cscript,
 *   mshta, bash, sh, dash, zsh, python, perl): execution / T1059 (Command and Scripting Interpreter);
 * - process model, the subject is a signed proxy binary (rundll32, regsvr32, msiexec, odbcconf,
 *   installutil, regasm, regsvcs): defense-evasion / T1218 (System Binary Proxy Execution);
 * - process model, any other image: execution / T1204 (User Execution), the generic technique of
 *   "an unusual program was started";
 * - network model: command-and-control / T1071 (Application Layer Protocol); T1071.004 (DNS) when
 *   the window's event is a DNS query or goes to port 53.
 * Anything left without a tactic or technique says `unknown`, never an empty string.
 */
import type { Detection } from '../detect/detection.js';

export interface AttackMapping {
  /** ATT&CK tactic short name, kebab-case as in ATT&CK (`defense-evasion`), or `unknown`. */
  tactic: string;
  /** Technique id (`T1059.001`) or `unknown`. */
  technique: string;
}

const TACTICS = new Set([
  'reconnaissance', 'resource-development', 'initial-access', 'execution', 'persistence', 'privilege-escalation',
  'defense-evasion', 'credential-access', 'discovery', 'lateral-movement', 'collection', 'command-and-control',
  'exfiltration', 'impact',
]);

/** Usual tactic of common techniques, for rules tagged with a technique only. */
const TECHNIQUE_TACTIC: Readonly<Record<string, string>> = {
  T1003: 'credential-access', T1018: 'discovery', T1021: 'lateral-movement', T1027: 'defense-evasion', T1033: 'discovery',
  T1041: 'exfiltration', T1047: 'execution', T1053: 'persistence', T1057: 'discovery', T1059: 'execution',
  T1071: 'command-and-control', T1078: 'defense-evasion', T1082: 'discovery', T1083: 'discovery', T1087: 'discovery',
  T1105: 'command-and-control', T1204: 'execution', T1218: 'defense-evasion', T1482: 'discovery', T1486: 'impact',
  T1489: 'impact', T1490: 'impact', T1543: 'persistence', T1547: 'persistence', T1552: 'credential-access',
  T1560: 'collection', T1566: 'initial-access', T1569: 'execution', T1570: 'lateral-movement', T1573: 'command-and-control',
};

const SHELLS = new Set(['powershell', 'pwsh', 'cmd', 'wscript', 'cscript', 'mshta', 'bash', 'sh', 'dash', 'zsh', 'python', 'python3', 'perl']);
const PROXIES = new Set(['rundll32', 'regsvr32', 'msiexec', 'odbcconf', 'installutil', 'regasm', 'regsvcs']);

/** `C:\x\PowerShell.EXE` -> `powershell`. */
export function imageStem(image: string): string {
  const base = image.slice(Math.max(image.lastIndexOf('\\'), image.lastIndexOf('/')) + 1).toLowerCase();
  return base.endsWith('.exe') ? base.slice(0, -4) : base;
}

export function fromTags(tags: readonly string[]): AttackMapping {
  let tactic: string | undefined;
  let technique: string | undefined;
  for (const raw of tags) {
    const tag = raw.toLowerCase();
    if (!tag.startsWith('attack.')) continue;
    const rest = tag.slice(7);
    if (/^t\d{4}(\.\d{3})?$/.test(rest)) technique ??= rest.toUpperCase();
    else {
      const name = rest.replace(/_/g, '-');
      if (TACTICS.has(name)) tactic ??= name;
    }
  }
  if (tactic === undefined && technique !== undefined) tactic = TECHNIQUE_TACTIC[technique.slice(0, 5)];
  return { tactic: tactic ?? 'unknown', technique: technique ?? 'unknown' };
}

export function attackOf(d: Detection): AttackMapping {
  if (d.source === 'rule') return fromTags(d.evidence.tags);
  const event = d.evidence.event as { processStart?: { image?: string }; network?: { remotePort?: number; image?: string }; dns?: unknown };
  if (event.processStart || (!event.network && !event.dns && d.title.startsWith('Unusual process'))) {
    const stem = imageStem(event.processStart?.image ?? d.evidence.ancestry[0]?.image ?? '');
    if (SHELLS.has(stem)) return { tactic: 'execution', technique: 'T1059' };
    if (PROXIES.has(stem)) return { tactic: 'defense-evasion', technique: 'T1218' };
    return { tactic: 'execution', technique: 'T1204' };
  }
  if (event.dns || event.network?.remotePort === 53) return { tactic: 'command-and-control', technique: 'T1071.004' };
  return { tactic: 'command-and-control', technique: 'T1071' };
}
