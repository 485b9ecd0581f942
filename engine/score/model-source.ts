/**
 * Where the engine's models come from: the `processModel` / `networkModel` settings. 'none' runs
 * without that kind; 'default' is the model shipped in models/default/<kind>.onnx (built by
 * `npm run models:build`); anything else is a path. Resolved once, on the main thread, before the
 * analysis threads start, so the warning about a missing default is logged once.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Logger } from '../../common/log.js';

export type ModelKind = 'process' | 'network';

/** models/default/<kind>.onnx, from the sources (tests) or from dist/ (models are not copied there). */
export function defaultModelPath(kind: ModelKind): string {
  const here = new URL(import.meta.url);
  const fromSource = new URL(`../../models/default/${kind}.onnx`, here);
  const fromDist = new URL(`../../../models/default/${kind}.onnx`, here);
  return fileURLToPath(here.pathname.endsWith('.ts') || !existsSync(fileURLToPath(fromDist)) ? fromSource : fromDist);
}

/**
 * A setting as a path, or 'none'. A missing default (models not built yet) is a warning and
 * 'none': the engine runs without that model rather than not at all. A configured path is passed
 * through: if it does not load, the score stage refuses it with its typed error at start.
 */
export function resolveModelSource(setting: string, kind: ModelKind, log: Logger, defaultPath = defaultModelPath(kind)): string {
  if (setting === 'none') return 'none';
  if (setting !== 'default') return setting;
  if (existsSync(defaultPath)) return defaultPath;
  log.warn(`default ${kind} model not found: running without ${kind} scoring (build it with \`npm run models:build\`, or set ${kind}Model to a path or 'none')`, { file: defaultPath });
  return 'none';
}
