/**
 * The words of a micro-batch's detections. The hot path fetches scores only (LoadedModel.score):
 * copying every row's per-feature contributions out of onnxruntime (0.6 MB per run of 4,096
 * process rows, a fresh allocation each time) cost more than the stage's own JavaScript, for
 * rows of which one in tens of thousands becomes a detection. A batch with detections gets one
 * more run, LoadedModel.explain, over a copy of just those rows: still one run per micro-batch,
 * never one per row.
 *
 * What depends on the engine's state when the batch is scored (lineage, the process table, the
 * extractor's counters behind the words' context) is taken then, by the caller's `detection`
 * closure; only the contributions arrive later. Detections reach the sink in the order their
 * batches were scored. If the explain run fails (onnxruntime failed, or the model was closed in
 * between), the detections are raised all the same, without feature words, and the failure is
 * logged and counted: a detection is never lost for want of an explanation.
 */
import type { Logger } from '../../common/log.js';
import type { LoadedModel } from '../../models/onnx/index.js';
import type { Detection, DetectionSink } from '../detect/detection.js';

export interface Flagged {
  /** The row's index in the micro-batch. */
  readonly row: number;
  /** The detection, given the row's values and its contributions (undefined when they could not be computed). */
  detection(values: Float32Array, contributions: Float32Array | undefined): Detection;
}

export class DetectionExplainer {
  private tail: Promise<void> = Promise.resolve();
  /** Detections raised, explain runs, explain runs that failed (their detections raised without words). */
  readonly count = { detections: 0, runs: 0, failedRuns: 0 };

  constructor(private readonly sink: DetectionSink, private readonly log: Logger) {}

  /**
   * Copies the flagged rows out of `rows` (the micro-batch's, reused once the caller returns) and
   * starts their explain run now, so that a model's close() waits for it.
   */
  explain(model: LoadedModel, rows: Float32Array, flagged: readonly Flagged[]): void {
    const w = model.width;
    const values = new Float32Array(flagged.length * w);
    flagged.forEach((f, k) => values.set(rows.subarray(f.row * w, (f.row + 1) * w), k * w));
    this.count.runs++;
    const settled = model.explain(values, flagged.length).then(
      (s) => s.contributions,
      (e: unknown) => {
        this.count.failedRuns++;
        this.log.error('explain run failed; its detections are raised without feature explanations',
          { model: `${model.card.name}@${model.card.version}`, detections: flagged.length, error: e });
        return undefined;
      });
    this.tail = this.tail.then(async () => {
      const contributions = await settled;
      const found = flagged.map((f, k) => f.detection(values.subarray(k * w, (k + 1) * w), contributions?.subarray(k * w, (k + 1) * w)));
      this.count.detections += found.length;
      this.sink.add(found);
    }).catch((e: unknown) => {
      // A sink that throws must not stop every later batch's detections (the chain goes on).
      this.log.error('raising detections failed', { detections: flagged.length, error: e });
    });
  }

  /** Resolves once every detection of the runs started so far has reached the sink. */
  flush(): Promise<void> {
    return this.tail;
  }
}
