/**
 * Plain words for a row: given per-feature contributions (from a model: reconstruction error per
 * column, attribution...), the top features that have something to say, in order.
 */
import type { RowLayout } from './layout.js';

export interface FeatureExplanation {
  readonly name: string;
  readonly value: number;
  readonly contribution: number;
  readonly text: string;
}

/**
 * The `top` features with the highest contribution whose explain() has something to say about
 * this row's value. `row` and `contributions` are one row of `layout.width` values.
 */
export function explainRow<C, N extends string>(
  layout: RowLayout<C, N>,
  row: ArrayLike<number>,
  contributions: ArrayLike<number>,
  context: C,
  top = 3,
): FeatureExplanation[] {
  const order = layout.features.map((f) => f.index).sort((a, b) => (contributions[b] ?? 0) - (contributions[a] ?? 0));
  const out: FeatureExplanation[] = [];
  for (const i of order) {
    if (out.length >= top) break;
    const f = layout.features[i]!;
    const value = row[i] ?? 0;
    const text = f.explain(value, context);
    if (text !== undefined) out.push({ name: f.name, value, contribution: contributions[i] ?? 0, text });
  }
  return out;
}
