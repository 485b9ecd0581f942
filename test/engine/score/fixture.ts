/**
 * Deterministic models and event streams for the score stage tests. No training: a "model" here
 * is an autoencoder whose decoder outputs 0, so with mean 0 and scale 1 a row's contribution per
 * feature is weight * value^2 and its score their sum: the test picks which features matter and
 * how much, and knows every score in advance.
 */
import { Direction, Protocol, type Event } from '../../../common/events.js';
import { silentLogger } from '../../../common/log.js';
import type { AutoencoderWeights } from '../../../models/autoencoder/weights.js';
import { FEATURE_SCHEMA_VERSION, NETWORK_LAYOUT, PROCESS_LAYOUT } from '../../../models/features/index.js';
import type { ModelCard } from '../../../models/model-card.js';
import { exportAutoencoder } from '../../../models/onnx/index.js';
import type { vigie } from '../../../proto/gen/vigie.js';
import type { Detection } from '../../../engine/detect/detection.js';
import { EnrichStage } from '../../../engine/enrich/enrich.js';
import type { IngestedBatch } from '../../../engine/pipeline/stage.js';
import { ScoreStage, type ScoreOptions } from '../../../engine/score/score-stage.js';

export const T0 = Date.UTC(2025, 0, 6, 10, 0, 0); // a Monday, 10:00 UTC

/** Process model: a script host from a document app with a base64 blob is far above 1; a shell alone is below. */
export const PROCESS_WEIGHTS = { parent_document_app: 2, cmd_base64_run: 2, image_script_host: 0.5, image_recon_tool: 0.35, parent_script_host: 0.25 };
/** Network model: public peers weigh little (a window alone never reaches 1; lineage can). */
export const NETWORK_WEIGHTS = { public_peer_fraction: 0.2 };

export interface ModelSpec {
  kind?: 'process' | 'network';
  weights?: Record<string, number>;
  threshold?: number;
  version?: string;
  name?: string;
  featureNames?: string[];
  featureSchemaVersion?: string;
  lineageDecay?: number;
}

/** The ONNX bytes of a zero-decoder autoencoder described by `spec`. */
export function modelBytes(spec: ModelSpec = {}): Uint8Array {
  const kind = spec.kind ?? 'process';
  const layout = kind === 'process' ? PROCESS_LAYOUT : NETWORK_LAYOUT;
  const names = spec.featureNames ?? [...layout.names];
  const f = names.length;
  const weights: Record<string, number> = spec.weights ?? (kind === 'process' ? PROCESS_WEIGHTS : NETWORK_WEIGHTS);
  const w: AutoencoderWeights = {
    features: f,
    mean: new Float32Array(f),
    scale: new Float32Array(f).fill(1),
    layers: [{ inputs: f, outputs: f, activation: 'linear', kernel: new Float32Array(f * f), bias: new Float32Array(f) }],
    featureWeights: Float32Array.from(names, (n) => weights[n] ?? 0),
  };
  const card: ModelCard = {
    format: 'vigie.model-card/1',
    name: spec.name ?? `test-${kind}`,
    version: spec.version ?? '1.0.0',
    kind,
    featureSchemaVersion: spec.featureSchemaVersion ?? FEATURE_SCHEMA_VERSION,
    featureNames: names,
    trainingDataDigest: 'ab'.repeat(32),
    trainingData: { sources: ['hand-built'], rows: 0 },
    threshold: spec.threshold ?? 1,
    metrics: {},
    training: { lineageDecay: spec.lineageDecay ?? 0.9 },
    createdAt: '2025-01-01T00:00:00.000Z',
  };
  return exportAutoencoder(w, card);
}

let pid = 100;

export function start(image: string, parent: { pid: number; startTimeMs: number; image: string }, commandLine: string, at: number): Event & { pid: number } {
  const p = pid++;
  const t = T0 + at;
  return {
    pid: p,
    timeMs: t,
    host: 'ws-7',
    processStart: {
      process: { pid: p, startTimeMs: t },
      parent: { pid: parent.pid, startTimeMs: parent.startTimeMs },
      image,
      parentImage: parent.image,
      commandLine,
      user: 'TOWN\\alice',
      integrityLevel: 'Medium',
    },
  };
}

export function ref(e: Event & { pid: number }): { pid: number; startTimeMs: number; image: string } {
  return { pid: e.pid, startTimeMs: Number(e.timeMs), image: e.processStart!.image! };
}

export function connect(p: { pid: number; startTimeMs: number; image: string }, at: number, remote: string): Event {
  return {
    timeMs: T0 + at,
    host: 'ws-7',
    network: {
      process: { pid: p.pid, startTimeMs: p.startTimeMs },
      image: p.image,
      direction: Direction.DIRECTION_OUTBOUND,
      protocol: Protocol.PROTOCOL_TCP,
      localAddress: '10.1.2.3',
      localPort: 50000 + (at % 1000),
      remoteAddress: remote,
      remotePort: 443,
      bytesSent: 300,
      bytesReceived: 1200,
    },
  };
}

export function exit(p: { pid: number; startTimeMs: number }, at: number): Event {
  return { timeMs: T0 + at, host: 'ws-7', processExit: { process: { pid: p.pid, startTimeMs: p.startTimeMs } } };
}

const EXPLORER = { pid: 10, startTimeMs: T0 - 60_000, image: 'C:\\Windows\\explorer.exe' };
const SERVICES = { pid: 4, startTimeMs: T0 - 120_000, image: 'C:\\Windows\\System32\\services.exe' };
export const BLOB = 'SQBFAFgAIAAoAE4AZQB3AC0ATwBiAGoAZQBjAHQAIABOAGUAdAAuAFcAZQBiAEMAbABpAGUAbgB0ACkALgBEAG8AdwBuAGwAbwBhAGQA'.repeat(2);

/** `n` benign starts: browsers, editors, services, and a user's shell running ping. */
export function benign(n: number, from = 0): Event[] {
  const out: Event[] = [];
  for (let i = 0; i < n; i++) {
    const at = from + i * 10;
    switch (i % 5) {
      case 0: out.push(start('C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe', EXPLORER, 'chrome.exe --type=renderer', at)); break;
      case 1: out.push(start('C:\\Windows\\System32\\notepad.exe', EXPLORER, 'notepad.exe notes.txt', at)); break;
      case 2: out.push(start('C:\\Windows\\System32\\svchost.exe', SERVICES, 'svchost.exe -k netsvcs -p', at)); break;
      case 3: {
        const cmd = start('C:\\Windows\\System32\\cmd.exe', EXPLORER, 'cmd.exe', at);
        out.push(cmd, start('C:\\Windows\\System32\\PING.EXE', ref(cmd), 'ping -n 1 fileserver', at + 1));
        break;
      }
      default: out.push(start('C:\\Program Files\\Microsoft Office\\root\\Office16\\OUTLOOK.EXE', EXPLORER, 'OUTLOOK.EXE', at));
    }
  }
  return out;
}

/** winword.exe -> powershell.exe -enc <blob> -> whoami.exe; the shell also talks to a public address, then exits. */
export function attack(at: number): { events: Event[]; word: Event & { pid: number }; ps: Event & { pid: number }; who: Event & { pid: number } } {
  const word = start('C:\\Program Files\\Microsoft Office\\root\\Office16\\WINWORD.EXE', EXPLORER, 'WINWORD.EXE /n invoice.docm', at);
  const ps = start('C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe', ref(word), `powershell.exe -nop -w hidden -enc ${BLOB}`, at + 1);
  const who = start('C:\\Windows\\System32\\whoami.exe', ref(ps), 'whoami /all', at + 2);
  const events = [word, ps, who, connect(ref(ps), at + 3, '203.0.113.7'), connect(ref(ps), at + 4, '203.0.113.7'), exit(ref(ps), at + 5)];
  return { events, word, ps, who };
}

let seq = 1;

export function ingested(events: Event[], sensorId = 'ws-7', tenant = 'town-b'): IngestedBatch {
  return { sensorId, tenant, seq: seq++, receivedMs: T0, batch: { sensorId, events, hits: [] } as unknown as vigie.v1.TelemetryBatch };
}

/** An enrich stage and a score stage wired as in engine/analysis/stages.ts, with a recording sink. */
export function stages(o: Partial<ScoreOptions>) {
  const detections: Detection[] = [];
  const enrich = new EnrichStage();
  const score = new ScoreStage({
    processModel: 'none', networkModel: 'none', maxRows: 64, maxDelayMs: 10_000, lineageDecay: -1,
    extractor: { sketch: { width: 1 << 12, depth: 2 } }, ...o,
  }, enrich.table, { add: (d) => detections.push(...d) }, silentLogger);
  const run = async (events: Event[]) => {
    const b = [ingested(events)];
    enrich.process(b);
    await score.process(b);
  };
  return { enrich, score, detections, run };
}
