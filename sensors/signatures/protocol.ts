/** Messages between a sensor and its signature worker (pack-worker.ts). */
import type { VigieProblem } from '../../common/errors.js';
import type { SignaturePack } from '../../signatures/pack/format.js';

export type ToPackWorker =
  | { t: 'load'; pack: SignaturePack }
  /** `events`: the encoded `events` field of a TelemetryBatch (see encodeEvents). */
  | { t: 'match'; id: number; events: Uint8Array };

export type FromPackWorker =
  | { t: 'loaded'; version: string; rules: number }
  | { t: 'load-failed'; problems: VigieProblem[] }
  /** Flat pairs: [rule index, event index, rule index, event index, ...]. */
  | { t: 'hits'; id: number; pairs: number[] }
  | { t: 'match-failed'; id: number; message: string };
