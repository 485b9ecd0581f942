/**
 * How a row layout is declared: an ordered list of feature specs, frozen into definitions with
 * their column index. The order is the column order of the Float32Array rows and of the models'
 * inputs; it changes only with FEATURE_SCHEMA_VERSION.
 */
import { rarityCount } from './rarity.js';

export const FEATURE_SCHEMA_VERSION = 'vigie.features/1';

/**
 * numeric: a scaled magnitude in [0, 1] (see `scale`); flag: 0 or 1; fraction: a share in [0, 1];
 * cyclic: sine or cosine of a time of day, in [-1, 1]; rarity: log-count rarity in [0, 1] from the
 * fleet or tenant counters (rarity.ts).
 */
export type FeatureKind = 'numeric' | 'flag' | 'fraction' | 'cyclic' | 'rarity';
export type RowKind = 'process' | 'network';

export interface FeatureSpec<C> {
  readonly kind: FeatureKind;
  /** What the feature measures, in one sentence. */
  readonly description: string;
  /** How the raw measure becomes the value (for numeric features), e.g. 'log2(1 + n) / 12'. */
  readonly scale?: string;
  /** Plain words for a high value of this feature in this row, or undefined when nothing to say. */
  readonly explain: (value: number, context: C) => string | undefined;
}

export interface FeatureDef<C> extends FeatureSpec<C> {
  readonly name: string;
  readonly index: number;
}

export interface RowLayout<C, N extends string> {
  readonly kind: RowKind;
  readonly version: typeof FEATURE_SCHEMA_VERSION;
  readonly width: number;
  readonly names: readonly N[];
  readonly features: readonly FeatureDef<C>[];
  /** Column of each feature by name: row[offset + layout.index.cmd_entropy]. */
  readonly index: Readonly<Record<N, number>>;
}

/** Freezes specs into a layout; throws (a bug, at import) when the width constant disagrees. */
export function defineLayout<C, N extends string>(
  kind: RowKind,
  width: number,
  specs: Readonly<Record<N, FeatureSpec<C>>>,
): RowLayout<C, N> {
  const names = Object.keys(specs) as N[];
  if (names.length !== width) throw new Error(`${kind} layout has ${names.length} features, width says ${width}`);
  const index = {} as Record<N, number>;
  const features = names.map((name, i) => {
    index[name] = i;
    return Object.freeze({ ...specs[name], name, index: i });
  });
  return Object.freeze({
    kind,
    version: FEATURE_SCHEMA_VERSION,
    width,
    names: Object.freeze(names),
    features: Object.freeze(features),
    index: Object.freeze(index),
  });
}

/** Rarity at or above which an explanation is given (a key seen about 31 times or fewer). */
export const EXPLAIN_RARITY = 0.5;

/** "never seen" / "seen only about 3 times", for a rarity value. */
export function seenText(rarity: number): string {
  const n = rarityCount(rarity);
  return n === 0 ? 'never seen' : `seen only about ${n} time${n === 1 ? '' : 's'}`;
}

/** A rarity explanation: `${subject} ${seen} ${where}`, or undefined below EXPLAIN_RARITY. */
export function explainRarity(value: number, subject: string, where: string): string | undefined {
  return value >= EXPLAIN_RARITY ? `${subject} ${seenText(value)} ${where}` : undefined;
}

/** Shortens long strings for explanations. */
export function clip(s: string, max = 80): string {
  return s.length <= max ? s : `${s.slice(0, max - 1)}…`;
}

/** Inverse of the 'log2(1 + n) / d' scaling, rounded. */
export function unlog(value: number, divisor: number): number {
  return Math.max(0, Math.round(2 ** (value * divisor) - 1));
}
