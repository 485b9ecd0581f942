/**
 * The per-category prefilter. A rule is evaluated only when each of its requirements
 * (requirements.ts: sets of literals, or class runs, at least one of which must occur) is met,
 * or when it has none. The scans report requirement ids; a rule becomes a candidate when its
 * count of met requirements reaches its number of requirements.
 *
 * Each literal is looked for only in the fields it was taken from, by one matcher per field:
 * an automaton over the field's literals (automaton/), a lookup of whole `name=hex` tokens for
 * the hashes (token-scan.ts), `includes` for a handful (literal-scan.ts). Measured on the SigmaHQ
 * process_creation rules, each choice below paid:
 * - per-field matchers rather than one automaton: each is smaller (the command line's literals
 *   are not looked for in the hashes), so faster per character and reporting fewer candidates;
 * - the automata read raw values and fold case themselves (automaton/trie.ts): no lower-cased
 *   copy of every field of every event, only of those the evaluated rules read;
 * - a batch's values are scanned field by field before any rule runs, each distinct value once
 *   (batch-scan.ts, value-memo.ts);
 * - requirements nearly every event meets stop being counted after a probation
 *   (met-statistics.ts).
 */
import type { Event } from '../../common/events.js';
import type { StringReader } from '../fields/event-view.js';
import { FIELD_NAMES } from '../fields/event-view.js';
import { buildAutomaton } from './automaton/index.js';
import type { Automaton, AutomatonStats } from './automaton/index.js';
import { BatchScan } from './batch-scan.js';
import type { RunCheck, ScannedField } from './batch-scan.js';
import { MetStatistics, PROBATION_EVENTS } from './met-statistics.js';
import { classRunTest } from './regex-requirement.js';
import type { Requirement } from './requirements.js';
import { LiteralScanner } from './literal-scan.js';
import { TokenScanner, isToken } from './token-scan.js';

/** Up to this many literals in a field, `includes` per literal instead of an automaton. */
const INCLUDES_MAX_LITERALS = 3;
/** From this many `name=hex` literals (hashes) on, a field's are looked up whole (token-scan.ts). */
const TOKENS_MIN = 16;

export interface FieldScanStats extends Partial<AutomatonStats> {
  field: string;
  literals: number;
}

export interface PrefilterStats {
  literals: number;
  requirements: number;
  /** Requirements still counted (all until the probation ends; met-statistics.ts). */
  counted: number;
  /** Rules with no requirement, evaluated on every event. */
  always: number;
  fields: FieldScanStats[];
  tableBytes: number;
}

export class Prefilter {
  /** Rules (local indices, ascending) with no requirement: evaluated on every event. */
  readonly always: Int32Array;
  /** After `find`: the rules whose requirements are all met, ascending, in `found[0..count)`. */
  readonly found: Int32Array;
  /** The fields' scans, batch by batch (`scanBatch`). */
  private readonly batch: BatchScan;
  /** Per requirement: its rule. Per rule: how many requirements it has. */
  private readonly ruleOf: Int32Array;
  private readonly needed: Uint8Array;
  /** Per event: requirements met, deduplicated by `metEpoch` (listed in `met` while observed). */
  private readonly met: Int32Array;
  private readonly metEpoch: Uint32Array;
  private readonly ruleEpoch: Uint32Array;
  private readonly ruleCount: Uint8Array;
  private readonly literalCount: number;
  private epoch = 0;
  /** Until the probation ends: which requirements the events meet (met-statistics.ts). */
  private statistics: MetStatistics | undefined;

  /** `requirements[i]`: rule i's (empty: none, the rule is always evaluated). */
  constructor(requirements: readonly (readonly Requirement[])[]) {
    const always: number[] = [];
    const ruleOf: number[] = [];
    // field -> literal -> requirement ids; field -> class runs and their requirement ids
    const byField = new Map<number, Map<string, number[]>>();
    const runsByField = new Map<number, RunCheck[]>();
    const literals = new Set<string>();
    requirements.forEach((reqs, rule) => {
      if (reqs.length === 0) always.push(rule);
      for (const r of reqs) {
        const id = ruleOf.length;
        ruleOf.push(rule);
        for (const [literal, fields] of r.literals) {
          literals.add(literal);
          for (const f of fields) {
            let forField = byField.get(f);
            if (!forField) byField.set(f, (forField = new Map()));
            let ids = forField.get(literal);
            if (!ids) forField.set(literal, (ids = []));
            ids.push(id);
          }
        }
        for (const { field, ascii, beyondAscii, length } of r.runs ?? []) {
          let runs = runsByField.get(field);
          if (!runs) runsByField.set(field, (runs = []));
          runs.push({ holds: classRunTest(ascii, beyondAscii, length), ids: Int32Array.of(id) });
          if (!byField.has(field)) byField.set(field, new Map());
        }
      }
    });
    this.always = Int32Array.from(always);
    this.found = new Int32Array(requirements.length);
    this.ruleOf = Int32Array.from(ruleOf);
    this.needed = Uint8Array.from(requirements.map((r) => r.length));
    this.met = new Int32Array(ruleOf.length);
    this.metEpoch = new Uint32Array(ruleOf.length);
    this.ruleEpoch = new Uint32Array(requirements.length);
    this.ruleCount = new Uint8Array(requirements.length);
    this.literalCount = literals.size;
    this.statistics = new MetStatistics(ruleOf.length);
    const scanned = [...byField.keys()].sort((a, b) => a - b).map((field): ScannedField => ({
      field,
      automaton: scannerOf(byField.get(field) as Map<string, number[]>),
      runs: runsByField.get(field) ?? [],
    }));
    this.batch = new BatchScan(scanned, ruleOf.length);
  }

  stats(): PrefilterStats {
    const fields = this.batch.fields.map((s): FieldScanStats => ({ field: FIELD_NAMES[s.field] as string, literals: s.automaton.stats.patterns, ...s.automaton.stats }));
    const active = this.batch.active;
    return {
      literals: this.literalCount,
      requirements: this.ruleOf.length,
      counted: active === undefined ? this.ruleOf.length : active.reduce((n, x) => n + x, 0),
      always: this.always.length,
      fields,
      tableBytes: fields.reduce((sum, f) => sum + (f.tableBytes ?? 0), 0),
    };
  }

  /**
   * Scans the fields of every event of `events` whose category index in `categories` is
   * `category` (read with `readers`); `find` then reads the results. Once per batch, before
   * `find`.
   */
  scanBatch(events: readonly Event[], categories: Int8Array, category: number, readers: readonly StringReader[]): void {
    // Between batches, so that a batch's results all count the same requirements.
    if (this.statistics !== undefined && this.statistics.events >= PROBATION_EVENTS) this.dropFrequent(this.statistics);
    this.batch.run(events, categories, category, readers);
  }

  /** Stops counting the requirements nearly every event meets (met-statistics.ts). */
  private dropFrequent(statistics: MetStatistics): void {
    const active = statistics.active(this.ruleOf);
    const needed = this.needed.fill(0);
    for (let id = 0; id < active.length; id++) {
      const rule = this.ruleOf[id] as number;
      needed[rule] = (needed[rule] as number) + (active[id] as number);
    }
    this.batch.active = active;
    this.statistics = undefined;
  }

  /**
   * Finds the rules whose requirements are all met by event `i` of the batch given to
   * `scanBatch`; returns how many (see `found`).
   */
  find(i: number): number {
    let epoch = this.epoch + 1;
    if (epoch === 0x1_0000_0000) {
      this.metEpoch.fill(0);
      this.ruleEpoch.fill(0);
      epoch = 1;
    }
    this.epoch = epoch;
    const met = this.met;
    const metEpoch = this.metEpoch;
    const observing = this.statistics !== undefined;
    let metCount = 0;
    const found = this.found;
    const ruleOf = this.ruleOf;
    const ruleEpoch = this.ruleEpoch;
    const ruleCount = this.ruleCount;
    const needed = this.needed;
    let count = 0;
    // The scans' results for the event's values: each requirement met counts once for its rule,
    // and a rule whose every requirement is met is found.
    const batch = this.batch;
    const nf = batch.fields.length;
    const result = batch.result;
    const start = batch.start;
    const end = batch.end;
    const arena = batch.arena;
    for (let j = 0, base = i * nf; j < nf; j++) {
      const r = result[base + j] as number;
      if (r < 0) continue;
      for (let k = start[r] as number, to = end[r] as number; k < to; k++) {
        const id = arena[k] as number;
        if (metEpoch[id] === epoch) continue;
        metEpoch[id] = epoch;
        if (observing) met[metCount++] = id;
        const rule = ruleOf[id] as number;
        let n = 1;
        if (ruleEpoch[rule] === epoch) n = (ruleCount[rule] as number) + 1;
        else ruleEpoch[rule] = epoch;
        ruleCount[rule] = n;
        if (n === needed[rule]) found[count++] = rule;
      }
    }
    if (observing) (this.statistics as MetStatistics).observe(met, metCount);
    if (count > 1) sortPrefix(found, count);
    return count;
  }
}

/** An automaton over a field's literals, or a token lookup when nearly all are `name=hex`. */
function scannerOf(literals: ReadonlyMap<string, readonly number[]>): Automaton {
  const tokens = new Map<string, readonly number[]>();
  const others = new Map<string, readonly number[]>();
  for (const [literal, ids] of literals) (isToken(literal) ? tokens : others).set(literal, ids);
  if (literals.size <= INCLUDES_MAX_LITERALS) return new LiteralScanner(literals);
  if (tokens.size >= TOKENS_MIN && others.size <= INCLUDES_MAX_LITERALS) return new TokenScanner(tokens, others);
  return buildAutomaton(literals, { prefilterAlphabet: true });
}

/** Sorts a[0..n) ascending: insertion sort for the usual handful, the native sort beyond. */
function sortPrefix(a: Int32Array, n: number): void {
  if (n > 32) {
    a.subarray(0, n).sort();
    return;
  }
  for (let i = 1; i < n; i++) {
    const x = a[i] as number;
    let j = i - 1;
    while (j >= 0 && (a[j] as number) > x) {
      a[j + 1] = a[j] as number;
      j--;
    }
    a[j + 1] = x;
  }
}
