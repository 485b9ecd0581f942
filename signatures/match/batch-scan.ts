/**
 * The prefilter's scans for a whole batch, field by field, before any rule runs:
 *
 * 1. every event of the category has its fields' values read; a value equal to the previous
 *    event's, or met before in the batch (a per-field memo, value-memo.ts), shares its result;
 *    a new one is queued, unless its field's matcher rejects it at a glance (literal-scan.ts);
 * 2. each field's matcher then scans its queued values back to back, and the field's class
 *    runs are looked for in them;
 * 3. the prefilter (prefilter.ts) reads each event's results when the event's rules run.
 *
 * Scanning one field's values in a row keeps that automaton's tables in the cache: scanned
 * between rule evaluations, as one event at a time did, the tables (1-2 MB for the command
 * line's) were evicted by the predicates' work and every scan began cold. On the SigmaHQ
 * process_creation rules the match was 1.09x faster for this alone (docs/SIGMA.md "Speed").
 * Results are the same requirement ids either way.
 */
import type { Event } from '../../common/events.js';
import type { StringReader } from '../fields/event-view.js';
import type { Automaton } from './automaton/index.js';
import { appendIds } from './literal-scan.js';
import { ValueMemo } from './value-memo.js';

/** Slots of each field's memo: room for the distinct values of a batch of ~1,000 events. */
const MEMO_SLOTS = 2048;
/** After this many lookups in a batch, a field whose values rarely repeat stops being remembered. */
const MEMO_TRIAL = 64;

export interface ScannedField {
  readonly field: number;
  readonly automaton: Automaton;
  /** Class runs looked for in the field's values (requirements.ts `ClassRun`), after the scan. */
  readonly runs: readonly RunCheck[];
}

/** A class run's test (regex-requirement.ts `classRunTest`) and the requirements it meets. */
export interface RunCheck {
  readonly holds: (text: string) => boolean;
  readonly ids: Int32Array;
}

export class BatchScan {
  readonly fields: readonly ScannedField[];
  /**
   * After `run`: per (event, field), `result[i * fields.length + j]` is the result of event i's
   * value of field j, or -1 (empty value, or an event of another category). Result r's
   * requirement ids are `arena[start[r]..end[r])`, each once.
   */
  result = new Int32Array(0);
  start = new Int32Array(0);
  end = new Int32Array(0);
  arena: Int32Array;
  private readonly memos: readonly ValueMemo[];
  /** Per field: the last value looked up in the batch, and its result. */
  private readonly previous: string[];
  private readonly previousResult: Int32Array;
  /** Per field: the values queued for its automaton, and the result each goes to. */
  private readonly queued: string[][];
  private readonly queuedResult: number[][];
  /** Room the arena must have above its top for one scan: every requirement, once. */
  private readonly span: number;
  /** Per requirement, 1 when the prefilter counts it; others are left out of the results. */
  active: Uint8Array | undefined;
  /** The automata's report deduplication (one round per scan). */
  private readonly seen: Uint32Array;
  private round = 0;

  /** `requirements`: how many requirement ids the automata report (ids 0..requirements-1). */
  constructor(fields: readonly ScannedField[], requirements: number) {
    this.fields = fields;
    this.memos = fields.map(() => new ValueMemo(MEMO_SLOTS));
    this.previous = fields.map(() => '');
    this.previousResult = new Int32Array(fields.length);
    this.queued = fields.map(() => []);
    this.queuedResult = fields.map(() => []);
    this.span = requirements + 1;
    this.arena = new Int32Array(4 * this.span);
    this.seen = new Uint32Array(requirements);
  }

  /**
   * Scans the fields of the events whose category (index) in `categories` is `category`, read
   * with `readers` (by field id); see `result`.
   */
  run(events: readonly Event[], categories: Int8Array, category: number, readers: readonly StringReader[]): void {
    const nf = this.fields.length;
    if (this.result.length < events.length * nf) this.result = new Int32Array(2 * events.length * nf);
    const result = this.result;
    const previous = this.previous;
    const previousResult = this.previousResult;
    let results = 0;
    for (let i = 0; i < events.length; i++) {
      const base = i * nf;
      if (categories[i] !== category) {
        result.fill(-1, base, base + nf);
        continue;
      }
      const e = events[i] as Event;
      for (let j = 0; j < nf; j++) {
        const { field, automaton, runs } = this.fields[j] as ScannedField;
        const raw = (readers[field] as StringReader)(e);
        if (raw === '' || (runs.length === 0 && automaton.rejects !== undefined && automaton.rejects(raw))) {
          result[base + j] = -1;
          continue;
        }
        // Consecutive events often share a value (a user, a directory, a parent): no lookup.
        if (raw === previous[j]) {
          result[base + j] = previousResult[j] as number;
          continue;
        }
        previous[j] = raw;
        const memo = this.memos[j] as ValueMemo;
        let slot = -1;
        if (memo.lookups < MEMO_TRIAL || memo.hits * 4 >= memo.lookups) {
          const known = memo.find(raw);
          if (known >= 0) {
            result[base + j] = previousResult[j] = memo.payload[known] as number;
            continue;
          }
          slot = memo.free;
        }
        const r = results++;
        result[base + j] = previousResult[j] = r;
        (this.queued[j] as string[]).push(raw);
        (this.queuedResult[j] as number[]).push(r);
        if (slot >= 0) memo.put(slot, raw, r);
      }
    }
    if (this.start.length < results) {
      this.start = new Int32Array(2 * results);
      this.end = new Int32Array(2 * results);
    }
    let top = 0;
    for (let j = 0; j < nf; j++) {
      top = this.scanQueued(j, top);
      // The batch's strings are not kept past it.
      (this.queued[j] as string[]).length = 0;
      (this.queuedResult[j] as number[]).length = 0;
      previous[j] = '';
      (this.memos[j] as ValueMemo).clear();
    }
  }

  /** Scans field j's queued values into the arena from `top`; returns the new top. */
  private scanQueued(j: number, top: number): number {
    const { automaton, runs } = this.fields[j] as ScannedField;
    const values = this.queued[j] as string[];
    const rs = this.queuedResult[j] as number[];
    for (let k = 0; k < values.length; k++) top = this.scanOne(automaton, runs, values[k] as string, rs[k] as number, top);
    return top;
  }

  /** Scans one value into the arena from `top` as result `r`; returns the new top. */
  private scanOne(automaton: Automaton, runs: readonly RunCheck[], text: string, r: number, top: number): number {
    if (top + this.span > this.arena.length) this.grow(top, this.span);
    let round = this.nextRound();
    let end = automaton.scan(text, this.seen, round, this.arena, top);
    // A character the automaton cannot fold ("İ"): scan the lower-cased value, from scratch.
    if (end < 0) end = automaton.scan(text.toLowerCase(), this.seen, (round = this.nextRound()), this.arena, top);
    for (let k = 0; k < runs.length; k++) {
      const run = runs[k] as RunCheck;
      if (run.holds(text)) end = appendIds(run.ids, this.seen, round, this.arena, end);
    }
    const active = this.active;
    if (active !== undefined) {
      const arena = this.arena;
      let kept = top;
      for (let k = top; k < end; k++) {
        const id = arena[k] as number;
        if (active[id] === 1) arena[kept++] = id;
      }
      end = kept;
    }
    this.start[r] = top;
    this.end[r] = end;
    return end;
  }

  /** A larger arena, holding arena[0..top) and room for `room` more. */
  private grow(top: number, room: number): void {
    const grown = new Int32Array(Math.max(this.arena.length * 2, top + room));
    grown.set(this.arena.subarray(0, top));
    this.arena = grown;
  }

  private nextRound(): number {
    let round = this.round + 1;
    if (round === 0x1_0000_0000) {
      this.seen.fill(0);
      round = 1;
    }
    this.round = round;
    return round;
  }
}
