/**
 * Multi-pattern matching (Aho-Corasick, written over UTF-16 char codes) in two layouts chosen by
 * size: a dense DFA while its table is small, a hybrid (dense shallow states, compact deep ones)
 * beyond (see dense.ts and hybrid.ts for the measurements behind the choice).
 */
import { DenseAutomaton } from './dense.js';
import { HYBRID_MAX_CLASSES, HybridAutomaton } from './hybrid.js';
import type { AutomatonOptions } from './trie.js';
import { buildTrie } from './trie.js';
import type { Automaton } from './types.js';

export type { Automaton, AutomatonStats } from './types.js';
export type { AutomatonOptions } from './trie.js';
export { BAIL } from './trie.js';

/**
 * Above this many bytes of DFA table, the hybrid layout is used. Measured on the SigmaHQ
 * process_creation rules: the command line's automaton (62,000 states x 71 classes) is a
 * 17.6 MB DFA or a 2.2 MB hybrid, and the whole match was 2-3% faster with the DFA; a sensor's
 * memory is worth more than that.
 */
export const DENSE_MAX_BYTES = 4 * 1024 * 1024;

export function buildAutomaton(
  patterns: ReadonlyMap<string, readonly number[]>,
  options: AutomatonOptions & { layout?: 'dense' | 'hybrid' } = {},
): Automaton {
  const trie = buildTrie(patterns, options);
  // Past HYBRID_MAX_CLASSES (a few thousand non-ASCII literals with an exact alphabet), dense.
  const small = trie.children.length * trie.width * 4 <= DENSE_MAX_BYTES || trie.width > HYBRID_MAX_CLASSES;
  const layout = options.layout ?? (small ? 'dense' : 'hybrid');
  return layout === 'dense' ? new DenseAutomaton(trie, patterns.size) : new HybridAutomaton(trie, patterns.size);
}
