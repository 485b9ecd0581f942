/**
 * The per-category prefilter. A rule is evaluated only when each of its requirements
 * (requirements.ts: sets of literals, at least one of which must occur) is met, or when it has
 * none. The automata report requirement ids; a rule becomes a candidate when its count of met
 * requirements reaches its number of requirements.
 *
 * Each literal is looked for only in the fields it was taken from: per field, one automaton
 * over that field's literals (with a handful of literals, native `includes` instead). A field is
 * scanned from the automaton's root, as if all fields were joined with a separator no literal
 * contains. Measured on the SigmaHQ process_creation rules, each choice below paid:
 * - per-field automata rather than one: each is smaller (the command line's literals are not
 *   looked for in the hashes), so faster per character and reporting fewer false candidates;
 * - the automata read raw values and fold case themselves (automaton/trie.ts): no lower-cased
 *   copy of every field of every event, only of those the evaluated rules read;
 * - a per-batch memo of each field's results (value-memo.ts): the events of a batch share most
 *   of their images, hashes, version resources and parents' command lines; a third of the
 *   characters of an event remain to be scanned.
 */
import type { EventView } from '../fields/event-view.js';
import { FIELD_NAMES } from '../fields/event-view.js';
import { buildAutomaton } from './automaton/index.js';
import type { Automaton, AutomatonStats } from './automaton/index.js';
import type { Requirement } from './requirements.js';
import { ValueMemo } from './value-memo.js';

/** Up to this many literals in a field, `includes` per literal instead of an automaton. */
const INCLUDES_MAX_LITERALS = 3;
/** Slots of each field's memo: room for the distinct values of a batch of ~1,000 events. */
const MEMO_SLOTS = 2048;
/** After this many lookups in a batch, a field whose values rarely repeat stops being remembered. */
const MEMO_TRIAL = 64;

interface FieldScan {
  readonly field: number;
  readonly automaton: Automaton | undefined;
  /** Without an automaton: the literals and, per literal, the requirements it meets. */
  readonly literals: readonly string[];
  readonly meets: readonly Int32Array[];
  /**
   * Without an automaton: per literal, a character of it that lower-casing never makes (ASCII,
   * not a letter), or '' when it has none. When the raw value lacks every literal's anchor, no
   * literal can occur in its lower-cased form either: the field (a GUID, a host name, a logon
   * id, read for one keyword rule's "\\perfc.dat") is skipped without a lower-cased copy.
   */
  readonly anchors: readonly string[];
  /**
   * With an automaton: raw value -> the requirement ids its scan meets, for the current batch.
   * Events of one batch share many values (an image, its hashes and version resource, the
   * parent's command line for every sibling, a user, a directory); each is scanned once.
   */
  readonly memo: ValueMemo;
}

export interface FieldScanStats extends Partial<AutomatonStats> {
  field: string;
  literals: number;
}

export interface PrefilterStats {
  literals: number;
  requirements: number;
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
  private readonly scans: readonly FieldScan[];
  /** Per requirement: its rule. Per rule: how many requirements it has. */
  private readonly ruleOf: Int32Array;
  private readonly needed: Uint8Array;
  /** Per event: requirements met (ids, `metCount` of them, deduplicated by `metEpoch`). */
  private readonly met: Int32Array;
  private readonly metEpoch: Uint32Array;
  private readonly ruleEpoch: Uint32Array;
  private readonly ruleCount: Uint8Array;
  private readonly literalCount: number;
  private epoch = 0;
  /**
   * The batch's remembered scan results, back to back (a memo slot holds a range), and above
   * `arenaTop` the current field's scan. One array per batch: no allocation per value.
   */
  private arena: Int32Array;
  private arenaTop = 0;
  /** Room the arena must have above its top for one scan: every requirement, once. */
  private readonly span: number;
  private readonly scratchEpoch: Uint32Array;
  private scratchRound = 0;

  /** `requirements[i]`: rule i's (empty: none, the rule is always evaluated). */
  constructor(requirements: readonly (readonly Requirement[])[]) {
    const always: number[] = [];
    const ruleOf: number[] = [];
    // field -> literal -> requirement ids
    const byField = new Map<number, Map<string, number[]>>();
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
    this.span = ruleOf.length + 1;
    this.arena = new Int32Array(4 * this.span);
    this.scratchEpoch = new Uint32Array(ruleOf.length);
    this.scans = Object.freeze(
      [...byField.keys()].sort((a, b) => a - b).map((field): FieldScan => {
        const forField = byField.get(field) as Map<string, number[]>;
        const scan = { field, literals: [] as string[], meets: [] as Int32Array[], anchors: [] as string[], memo: new ValueMemo(MEMO_SLOTS) };
        if (forField.size <= INCLUDES_MAX_LITERALS) {
          const literals = [...forField.keys()];
          const meets = [...forField.values()].map((r) => Int32Array.from(r));
          return { ...scan, automaton: undefined, literals, meets, anchors: literals.map(anchorOf) };
        }
        return { ...scan, automaton: buildAutomaton(forField, { prefilterAlphabet: true }) };
      }),
    );
  }

  stats(): PrefilterStats {
    const fields = this.scans.map((s): FieldScanStats => ({
      field: FIELD_NAMES[s.field] as string,
      literals: s.automaton ? s.automaton.stats.patterns : s.literals.length,
      ...s.automaton?.stats,
    }));
    return {
      literals: this.literalCount,
      requirements: this.ruleOf.length,
      always: this.always.length,
      fields,
      tableBytes: fields.reduce((sum, f) => sum + (f.tableBytes ?? 0), 0),
    };
  }

  /** Forgets the values remembered for the previous batch (bounded memory, fresh trials). */
  beginBatch(): void {
    this.arenaTop = 0;
    for (const scan of this.scans) scan.memo.clear();
  }

  /**
   * Merges into `met` the requirement ids that `text` (the field's raw value) meets, remembered
   * or scanned now; returns the new count.
   */
  private scanField(scan: FieldScan, text: string, view: EventView, met: Int32Array, epoch: number, count: number): number {
    const memo = scan.memo;
    let slot = -1;
    if (memo.lookups < MEMO_TRIAL || memo.hits * 4 >= memo.lookups) {
      const known = memo.find(text);
      if (known >= 0) return this.merge(memo.from[known] as number, memo.to[known] as number, met, epoch, count);
      slot = memo.free;
    }
    const top = this.arenaTop;
    if (top + this.span > this.arena.length) {
      const grown = new Int32Array(this.arena.length * 2);
      grown.set(this.arena.subarray(0, top));
      this.arena = grown;
    }
    const automaton = scan.automaton as Automaton;
    let end = automaton.scan(text, this.scratchEpoch, this.nextRound(), this.arena, top);
    // A character the automaton cannot fold ("İ"): scan the lower-cased value, from scratch.
    if (end < 0) end = automaton.scan(view.lower(scan.field), this.scratchEpoch, this.nextRound(), this.arena, top);
    if (slot >= 0) {
      memo.put(slot, text, top, end);
      this.arenaTop = end;
    }
    return this.merge(top, end, met, epoch, count);
  }

  /** Adds arena[from..to) not yet met in this event to `met`; returns the new count. */
  private merge(from: number, to: number, met: Int32Array, epoch: number, count: number): number {
    const arena = this.arena;
    const metEpoch = this.metEpoch;
    for (let i = from; i < to; i++) {
      const id = arena[i] as number;
      if (metEpoch[id] !== epoch) {
        metEpoch[id] = epoch;
        met[count++] = id;
      }
    }
    return count;
  }

  private nextRound(): number {
    let round = this.scratchRound + 1;
    if (round === 0x1_0000_0000) {
      this.scratchEpoch.fill(0);
      round = 1;
    }
    this.scratchRound = round;
    return round;
  }

  /** Finds the rules whose requirements are all met in `view`'s event; returns how many (see `found`). */
  find(view: EventView): number {
    let epoch = this.epoch + 1;
    if (epoch === 0x1_0000_0000) {
      this.metEpoch.fill(0);
      this.ruleEpoch.fill(0);
      epoch = 1;
    }
    this.epoch = epoch;
    const met = this.met;
    const metEpoch = this.metEpoch;
    const scans = this.scans;
    let metCount = 0;
    for (let i = 0; i < scans.length; i++) {
      const scan = scans[i] as FieldScan;
      if (scan.automaton !== undefined) {
        // The automaton folds case itself: the raw value, no lower-cased copy.
        const raw = view.raw(scan.field);
        if (raw !== '') metCount = this.scanField(scan, raw, view, met, epoch, metCount);
        continue;
      }
      const raw = view.raw(scan.field);
      if (raw === '' || !anyAnchor(raw, scan.anchors)) continue;
      const text = view.lower(scan.field);
      for (let j = 0; j < scan.literals.length; j++) {
        if (!text.includes(scan.literals[j] as string)) continue;
        const ids = scan.meets[j] as Int32Array;
        for (let k = 0; k < ids.length; k++) {
          const id = ids[k] as number;
          if (metEpoch[id] !== epoch) {
            metEpoch[id] = epoch;
            met[metCount++] = id;
          }
        }
      }
    }
    // Rules whose every requirement is met.
    const found = this.found;
    const ruleOf = this.ruleOf;
    const ruleEpoch = this.ruleEpoch;
    const ruleCount = this.ruleCount;
    const needed = this.needed;
    let count = 0;
    for (let i = 0; i < metCount; i++) {
      const rule = ruleOf[met[i] as number] as number;
      let n = 1;
      if (ruleEpoch[rule] === epoch) n = (ruleCount[rule] as number) + 1;
      else ruleEpoch[rule] = epoch;
      ruleCount[rule] = n;
      if (n === needed[rule]) found[count++] = rule;
    }
    if (count > 1) sortPrefix(found, count);
    return count;
  }
}

/** A character of `literal` that no lower-casing produces (ASCII, not a letter), or ''. */
function anchorOf(literal: string): string {
  for (const c of literal) if (c < '\x80' && !/[a-z]/i.test(c)) return c;
  return '';
}

/** Whether `raw` holds some literal's anchor (a literal without one always may occur). */
function anyAnchor(raw: string, anchors: readonly string[]): boolean {
  for (let i = 0; i < anchors.length; i++) {
    const a = anchors[i] as string;
    if (a === '' || raw.includes(a)) return true;
  }
  return false;
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
