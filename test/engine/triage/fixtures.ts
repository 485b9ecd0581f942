/** Detections as the detect stages make them, for triage, API and console tests. */
import type { Detection, ProcessSummary, Severity } from '../../../engine/detect/detection.js';

export const T0 = 1_736_150_400_000; // 2025-01-06T08:00:00Z

export function proc(pid: number, at: number, image: string, commandLine: string, user = 'BEAU\\marie'): ProcessSummary {
  return { pid, startTimeMs: T0 + at, image, commandLine, user };
}

/** A long-lived shared root and a session under it. */
export const SERVICES = proc(600, -9e6, 'C:\\Windows\\System32\\services.exe', 'services.exe', 'SYSTEM');
export const EXPLORER = proc(4000, -3e6, 'C:\\Windows\\explorer.exe', 'C:\\Windows\\Explorer.EXE');
export const OUTLOOK = proc(4100, -2e6, 'C:\\Program Files\\Microsoft Office\\root\\Office16\\OUTLOOK.EXE', '"OUTLOOK.EXE"');
export const WORD = proc(5200, 1000, 'C:\\Program Files\\Microsoft Office\\root\\Office16\\WINWORD.EXE', 'WINWORD.EXE /n "Facture_2025-1234.docm"');
export const PS = proc(5300, 2000, 'C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe', 'powershell.exe -NoP -NonI -W Hidden -enc SQBFAFgAIAAoAE4AZQB3AC0A');
export const CMD = proc(5400, 5000, 'C:\\Windows\\System32\\cmd.exe', 'cmd /c whoami /all');
export const WHOAMI = proc(5404, 5100, 'C:\\Windows\\System32\\whoami.exe', 'whoami /all');
export const NLTEST = proc(5500, 6000, 'C:\\Windows\\System32\\nltest.exe', 'nltest /dclist:');

export interface DetectionOptions {
  tenant?: string;
  host?: string;
  sensorId?: string;
  at?: number;
  ruleId?: string;
  title?: string;
  severity?: Severity;
  tags?: string[];
  source?: 'rule' | 'model';
  score?: number | null;
  explanations?: string[];
  event?: Record<string, unknown>;
}

/** A detection on `chain[0]` (ancestry nearest first). */
export function detection(chain: ProcessSummary[], o: DetectionOptions = {}): Detection {
  const p = chain[0]!;
  const host = o.host ?? 'BEAU-PC0042';
  return {
    sensorId: o.sensorId ?? `sensor-${host}`,
    tenant: o.tenant ?? 'beaumont',
    host,
    timeMs: T0 + (o.at ?? p.startTimeMs - T0),
    source: o.source ?? 'rule',
    ruleId: o.ruleId ?? 'win-powershell-encoded-command',
    title: o.title ?? 'PowerShell with an encoded command',
    severity: o.severity ?? 'high',
    score: o.score ?? null,
    processKey: `${p.pid}:${p.startTimeMs}`,
    evidence: {
      tags: o.tags ?? ['attack.execution', 'attack.t1059.001'],
      contentVersion: '1.0.0',
      seq: 1,
      eventIndex: 0,
      event: o.event ?? { timeMs: String(T0), host, processStart: { process: { pid: p.pid, startTimeMs: String(p.startTimeMs) }, image: p.image, commandLine: p.commandLine, user: p.user } },
      ancestry: chain,
      ...(o.explanations ? { explanations: o.explanations } : {}),
    },
  };
}

/** The phishing scenario's detections: Word spawns an encoded PowerShell, which runs recon. */
export function phishing(o: DetectionOptions = {}): Detection[] {
  return [
    detection([PS, WORD, OUTLOOK, EXPLORER], { ...o, ruleId: 'win-office-spawns-shell', title: 'Office application spawns a shell', tags: ['attack.execution', 'attack.t1204.002'] }),
    detection([PS, WORD, OUTLOOK, EXPLORER], { ...o, ruleId: 'win-powershell-encoded-command', title: 'PowerShell with an encoded command', severity: 'critical' }),
    detection([WHOAMI, CMD, PS, WORD, OUTLOOK, EXPLORER], { ...o, ruleId: 'model-process@1.0.0', source: 'model', title: 'Unusual process: whoami.exe', severity: 'medium', score: 2.5, tags: [], explanations: ['whoami.exe is rare on this host', 'its parent cmd.exe descends from WINWORD.EXE'] }),
    detection([NLTEST, PS, WORD, OUTLOOK, EXPLORER], { ...o, ruleId: 'win-ad-reconnaissance', title: 'Domain reconnaissance with net or nltest', severity: 'medium', tags: ['attack.discovery', 'attack.t1087.002'] }),
  ];
}
