/**
 * Pre-release validation of one piece of content, top to bottom:
 *
 *   bundle   what rollout/bundle found (signature, digest, expiry, ranges, feature schema), or a
 *            warning that a raw file was given (nothing about its signing is known)
 *   content  the manifest names the content it carries (bundles only)
 *   schema   the sensor's pack reader or the engine's model loader, and the fields or feature
 *            rows the content expects against those the sensor or engine supplies
 *   compile  the sensor's rule compiler (packs)
 *   corpus   the engine's archive, or a simulated one (said so)
 *   load, replay, detections, cpu   candidate and current in isolated workers, same events
 *   fuzz     hostile inputs through the candidate (packs)
 *
 * Every check runs that can still say something; the report lists them all.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { basename } from 'node:path';
import type { VigieProblem } from '../../common/errors.js';
import type { Event } from '../../common/events.js';
import { defaultModelPath } from '../../engine/score/model-source.js';
import { defaultPack, parsePack, type SignaturePack } from '../../signatures/pack/index.js';
import type { BundleManifest, ContentKind } from '../bundle/manifest.js';
import { PACK_FIELD_SCHEMA } from '../bundle/schemas.js';
import { checkContentMatch } from './content-match.js';
import { loadCorpus } from './corpus.js';
import { checkModelSchema } from './model-schema.js';
import { replayModel, type ModelInput } from './model-replay.js';
import { resolveOptions, type ValidateOptions } from './options.js';
import { fuzzPack } from './pack-fuzz.js';
import { replayPack } from './pack-replay.js';
import { checkPackSchema, decodePackText } from './pack-schema.js';
import { blockAll, isBlocked, pass, warn, type Check, type CorpusInfo, type ValidationReport } from './report.js';

export interface ContentUnderTest {
  kind: ContentKind;
  payload: Uint8Array;
  /** Names the content in every location. */
  file: string;
  /** The signed manifest, when the content came in a bundle. */
  manifest?: BundleManifest;
  /** What rollout/bundle found wrong with the bundle ([] when nothing); undefined for a raw file. */
  bundleProblems?: VigieProblem[];
}

/** The version running now, to compare with; default the shipped pack or model of the same kind. */
export interface CurrentContent {
  payload: Uint8Array;
  file: string;
}

const NO_CORPUS: CorpusInfo = { source: 'none: the content did not get as far as a replay', events: 0, simulated: false };

export async function validateContent(c: ContentUnderTest, current: CurrentContent | undefined, options: Partial<ValidateOptions> = {}): Promise<ValidationReport> {
  const t0 = performance.now();
  const o = resolveOptions(options);
  const checks: Check[] = [bundleCheck(c)];
  const identity = { kind: c.kind, name: c.manifest?.name ?? basename(c.file), version: c.manifest?.version ?? '', sha256: c.manifest?.sha256 ?? sha256(c.payload) };
  let corpus = NO_CORPUS;
  const replayOn = async (run: (events: readonly Event[]) => Promise<Check[]>): Promise<void> => {
    const loaded = await loadCorpus({ ...(o.archiveDir !== undefined ? { archiveDir: o.archiveDir } : {}), maxEvents: o.maxEvents, seed: o.seed, simulated: o.simulated });
    corpus = loaded.info;
    checks.push(loaded.check);
    if (loaded.events.length > 0) checks.push(...(await run(loaded.events)));
  };

  if (c.kind === 'signatures') {
    const schema = checkPackSchema(c.payload, c.file);
    const pack = schema.pack;
    if (pack && c.manifest) checks.push(checkContentMatch(c.manifest, { name: pack.name, version: pack.version, featureSchema: PACK_FIELD_SCHEMA }, c.file));
    checks.push(...schema.checks);
    if (pack) {
      if (!c.manifest) Object.assign(identity, { name: pack.name, version: pack.version });
      // A pack that does not compile cannot load on a sensor: nothing to replay.
      if (schema.checks.every((k) => k.name !== 'compile' || k.verdict === 'pass')) {
        const cur = currentPack(current);
        await replayOn(async (events) => {
          const replay = await replayPack(pack, cur.pack, events, o);
          if (cur.problem) replay.push(warn('current', cur.problem));
          return [...replay, await fuzzPack(pack, events, o)];
        });
      }
    }
  } else {
    const schema = checkModelSchema(c.payload, c.file);
    const card = schema.card;
    if (card && c.manifest) checks.push(checkContentMatch(c.manifest, { name: card.name, version: card.version, featureSchema: card.featureSchemaVersion }, c.file));
    checks.push(...schema.checks);
    if (card) {
      if (!c.manifest) Object.assign(identity, { name: card.name, version: card.version });
      // A model the engine refuses never scores a row: nothing to replay.
      if (!isBlocked(schema.checks)) {
        const cur = currentModel(current, card.kind);
        await replayOn(async (events) => {
          const replay = await replayModel(card, { bytes: c.payload, file: c.file }, cur.model, events, o);
          return cur.problem ? [...replay, warn('current', cur.problem)] : replay;
        });
      }
    }
  }
  return { bundle: identity, blocked: isBlocked(checks), checks, corpus, durationMs: Math.round(performance.now() - t0) };
}

function bundleCheck(c: ContentUnderTest): Check {
  if (c.bundleProblems === undefined) {
    return warn('bundle', 'skipped: a raw file, not a bundle: its signature, digest, expiry and compatibility ranges were not checked (this is not a pass of signing)');
  }
  if (c.bundleProblems.length > 0) return blockAll('bundle', c.bundleProblems, 'the bundle would be refused');
  return pass('bundle', 'signature, digest, expiry, version ranges and feature schema verified');
}

function currentPack(current: CurrentContent | undefined): { pack?: SignaturePack; problem?: string } {
  if (!current) return { pack: defaultPack() };
  const text = decodePackText(current.payload, current.file);
  const parsed = text.ok ? parsePack(text.text, current.file) : text;
  if (!parsed.ok) return { problem: `the current pack ${current.file} does not parse: ${parsed.problems[0]!.message}` };
  return { pack: parsed.value };
}

function currentModel(current: CurrentContent | undefined, kind: 'process' | 'network'): { model?: ModelInput; problem?: string } {
  if (current) return { model: { bytes: current.payload, file: current.file } };
  const path = defaultModelPath(kind);
  if (!existsSync(path)) return { problem: `no current model: the default ${kind} model is not built (${path})` };
  return { model: { bytes: readFileSync(path), file: path } };
}

function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}
