/**
 * A rule set ready to match: every rule's condition compiled to a predicate, rules indexed by
 * category, and one prefilter per category (prefilter.ts). Built once by `buildRuleSet`, which
 * reports every problem of every rule; then frozen, and `match` runs over batches of events.
 *
 * Hits come out ordered by event, then by rule index, in both modes. `match` is synchronous and
 * keeps per-batch state (the event view, the prefilter's scan results): one RuleSet serves one
 * thread.
 */
import type { Event } from '../../common/events.js';
import type { ErrorLocation, VigieProblem } from '../../common/errors.js';
import { CATEGORIES, EventView, isRuleCategory, stringReadersOf } from '../fields/event-view.js';
import type { CompiledRule, RuleCategory } from '../ir.js';
import { compileNode } from './compile-node.js';
import type { Pred } from './compile-test.js';
import { Prefilter } from './prefilter.js';
import type { PrefilterStats } from './prefilter.js';
import { requirementsOf } from './requirements.js';

export interface Hit {
  /** Index in `RuleSet.rules`. */
  rule: number;
  /** Index in the events array given to `match`. */
  event: number;
}

export interface RuleSetOptions {
  /**
   * Default true. false is the naive mode: every rule of an event's category is evaluated on
   * the event (for measuring the prefilter, and as its reference in tests).
   */
  prefilter?: boolean;
}

export interface RuleSetCounters {
  /** Events given to `match`. */
  events: number;
  /** (event, rule) pairs of the same category: what a category index alone would evaluate. */
  candidates: number;
  /** Pairs whose condition was evaluated (after the prefilter). */
  evaluated: number;
  hits: number;
}

export type CategoryStats = PrefilterStats & { category: RuleCategory; rules: number };

interface CategoryIndex {
  /** Global rule index of each local rule, ascending. */
  readonly ruleIds: Int32Array;
  readonly preds: readonly Pred[];
  readonly prefilter: Prefilter | undefined;
}

export type BuildResult = { ok: true; value: RuleSet } | { ok: false; problems: VigieProblem[] };

function locationOf(rule: CompiledRule): ErrorLocation {
  const loc: ErrorLocation = {};
  if (typeof rule.source?.file === 'string') loc.file = rule.source.file;
  if (typeof rule.source?.line === 'number') loc.line = rule.source.line;
  if (typeof rule.id === 'string') loc.field = rule.id;
  return loc;
}

/** Compiles `rules`; fails with every VIGIE_RULE_COMPILE problem found when any rule has one. */
export function buildRuleSet(rules: readonly CompiledRule[], options: RuleSetOptions = {}): BuildResult {
  const problems: VigieProblem[] = [];
  const members = CATEGORIES.map(() => ({ ids: [] as number[], preds: [] as Pred[], rules: [] as CompiledRule[] }));
  rules.forEach((rule, i) => {
    const location = locationOf(rule);
    const report = (message: string): void => {
      problems.push({ code: 'VIGIE_RULE_COMPILE', message: `rule "${rule.title ?? rule.id}": ${message}`, location });
    };
    const category = rule.logsource?.category;
    if (!isRuleCategory(category)) {
      report(`unsupported logsource category "${String(category)}"`);
      return;
    }
    const pred = compileNode(rule.condition, category, report);
    const m = members[CATEGORIES.indexOf(category)] as (typeof members)[number];
    m.ids.push(i);
    m.preds.push(pred);
    m.rules.push(rule);
  });
  if (problems.length > 0) return { ok: false, problems };

  const usePrefilter = options.prefilter !== false;
  const indexes = members.map((m, c): CategoryIndex | undefined => {
    if (m.ids.length === 0) return undefined;
    const category = CATEGORIES[c] as RuleCategory;
    const prefilter = usePrefilter ? new Prefilter(m.rules.map((r) => requirementsOf(r.condition, category))) : undefined;
    return Object.freeze({ ruleIds: Int32Array.from(m.ids), preds: Object.freeze(m.preds), prefilter });
  });
  return { ok: true, value: new RuleSet(rules, indexes) };
}

/** Category index of an event (CATEGORIES order), -1 for none; categoryOf without the strings. */
function categoryIndex(e: Event): number {
  return e.processStart ? 0 : e.network ? 1 : e.dns ? 2 : -1;
}

export class RuleSet {
  readonly rules: readonly CompiledRule[];
  private readonly byCategory: readonly (CategoryIndex | undefined)[];
  private readonly view = new EventView();
  /** Plain numbers, added once per batch (the instance is frozen, this object is not). */
  private readonly count: RuleSetCounters = { events: 0, candidates: 0, evaluated: 0, hits: 0 };
  /** Per batch: each event's category index (-1: none), grown as batches require. */
  private readonly scratch = { categories: new Int8Array(0) };

  /** Use `buildRuleSet`. */
  constructor(rules: readonly CompiledRule[], byCategory: readonly (CategoryIndex | undefined)[]) {
    this.rules = Object.freeze([...rules]);
    this.byCategory = Object.freeze([...byCategory]);
    Object.freeze(this);
  }

  match(events: readonly Event[]): Hit[] {
    const hits: Hit[] = [];
    const view = this.view;
    const scratch = this.scratch;
    if (scratch.categories.length < events.length) scratch.categories = new Int8Array(2 * events.length);
    const categories = scratch.categories;
    for (let i = 0; i < events.length; i++) categories[i] = categoryIndex(events[i] as Event);
    // The prefilter's scans, field by field for the whole batch, before any rule runs.
    for (let c = 0; c < this.byCategory.length; c++) {
      this.byCategory[c]?.prefilter?.scanBatch(events, categories, c, stringReadersOf(CATEGORIES[c] as RuleCategory));
    }
    let candidates = 0;
    let evaluated = 0;
    for (let i = 0; i < events.length; i++) {
      const c = categories[i] as number;
      if (c < 0) continue;
      const index = this.byCategory[c];
      if (index === undefined) continue;
      view.resetAs(events[i] as Event, CATEGORIES[c]);
      const { preds, ruleIds, prefilter } = index;
      candidates += preds.length;
      if (prefilter === undefined) {
        for (let r = 0; r < preds.length; r++) {
          if ((preds[r] as Pred)(view)) hits.push({ rule: ruleIds[r] as number, event: i });
        }
        evaluated += preds.length;
        continue;
      }
      // The rules without a requirement and the rules whose literal was found, merged in order.
      const found = prefilter.found;
      const nFound = prefilter.find(i);
      const always = prefilter.always;
      const nAlways = always.length;
      evaluated += nFound + nAlways;
      let a = 0;
      let b = 0;
      while (a < nAlways || b < nFound) {
        const r = b >= nFound || (a < nAlways && (always[a] as number) < (found[b] as number)) ? (always[a++] as number) : (found[b++] as number);
        if ((preds[r] as Pred)(view)) hits.push({ rule: ruleIds[r] as number, event: i });
      }
    }
    const count = this.count;
    count.events += events.length;
    count.candidates += candidates;
    count.evaluated += evaluated;
    count.hits += hits.length;
    return hits;
  }

  counters(): RuleSetCounters {
    return { ...this.count };
  }

  /** The prefilter's automata, per category with rules (empty in naive mode). */
  prefilterStats(): CategoryStats[] {
    const out: CategoryStats[] = [];
    this.byCategory.forEach((index, c) => {
      const stats = index?.prefilter?.stats();
      if (index && stats) out.push({ category: CATEGORIES[c] as RuleCategory, rules: index.preds.length, ...stats });
    });
    return out;
  }
}
