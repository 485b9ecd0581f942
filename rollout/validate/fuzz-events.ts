/**
 * The fuzz pass's inputs, seeded: the same pack and seed give the same events. First the inputs
 * most likely to break a pack, aimed at the fields its rules read (for each regular expression its
 * backtracking attacks and a few multi-megabyte runs; events with every field missing; enums out
 * of range), then random hostile values (fuzz-values.ts) in one to three fields of events taken
 * from the corpus, so the rest of each event looks real. Generated lazily: huge strings are not
 * all held at once, and at most MAX_HUGE inputs are huge.
 */
import { createPrng } from '../../models/train/prng.js';
import type { Event } from '../../common/events.js';
import type { vigie } from '../../proto/gen/vigie.js';
import { categoryOf, stringFieldsOf, FIELD_NAMES } from '../../signatures/fields/event-view.js';
import { VIGIE_FIELDS, isVigieField, type VigieField } from '../../signatures/fields/vigie-fields.js';
import type { Node, RuleCategory } from '../../signatures/ir.js';
import type { SignaturePack } from '../../signatures/pack/index.js';
import { setField, settableFields, skeleton } from './event-fields.js';
import {
  ADDRESSES, HUGE, NUMBERS, genericString, packLiterals, pick, regexAttacks, regexHuge, regexInfo, twistLiteral,
  type Rand, type RegexInfo,
} from './fuzz-values.js';

export interface FuzzInput {
  event: Event;
  /** What made it, for the report: "regex attack on process.command_line", "generic", ... */
  what: string;
}

type Direction = vigie.v1.Direction;
type Protocol = vigie.v1.Protocol;

interface Target { category: RuleCategory; field: VigieField }

export const MAX_HUGE = 12;
const CATEGORIES: readonly RuleCategory[] = ['process_creation', 'network_connection', 'dns_query'];
const TEMPLATES_PER_CATEGORY = 64;

/** The (category, field) pairs the pack reads, and its regexes with where they read. */
export function fuzzTargets(pack: SignaturePack): { targets: Target[]; regexes: Array<Target & { re: RegexInfo }> } {
  const targets = new Map<string, Target>();
  const regexes: Array<Target & { re: RegexInfo }> = [];
  const add = (category: RuleCategory, field: VigieField): void => {
    if (settableFields(category).includes(field)) targets.set(`${category}/${field}`, { category, field });
  };
  const walk = (n: Node, category: RuleCategory): void => {
    if (n.op === 'and' || n.op === 'or') return n.args.forEach((a) => walk(a, category));
    if (n.op === 'not') return walk(n.arg, category);
    if (n.op !== 'field' && n.op !== 'keyword') return;
    // A keyword is tested on every string field of the event: aim at all of them.
    const fields = n.op === 'field' ? [n.field] : stringFieldsOf(category).map((id) => FIELD_NAMES[id]!);
    for (const f of fields) {
      if (!isVigieField(f)) continue;
      add(category, f);
      if (n.test.t === 're' && settableFields(category).includes(f)) regexes.push({ category, field: f, re: regexInfo(n.test.source, n.test.flags) });
    }
  };
  for (const r of pack.rules) walk(r.condition, r.logsource.category);
  if (targets.size === 0) for (const c of CATEGORIES) for (const f of settableFields(c)) add(c, f);
  return { targets: [...targets.values()], regexes };
}

export function* fuzzInputs(pack: SignaturePack, corpus: readonly Event[], n: number, seed: number): Generator<FuzzInput> {
  const rand = createPrng(seed);
  const templates = templatesOf(corpus);
  const template = (c: RuleCategory): Event => structuredClone(templates.get(c)?.length ? pick(rand, templates.get(c)!) : skeleton(c));
  const { targets, regexes } = fuzzTargets(pack);
  const lits = packLiterals(pack);
  let made = 0;
  let huge = 0;
  const one = (t: Target, value: string | number, what: string): FuzzInput => {
    const e = template(t.category);
    setField(e, t.category, t.field, value);
    return { event: e, what: `${what} in ${t.field} (${t.category})` };
  };

  // 1. What most likely breaks the pack, in order.
  const first: Array<() => FuzzInput> = [];
  for (const c of CATEGORIES) {
    first.push(() => ({ event: { ...skeleton(c), processStart: undefined, network: undefined, dns: undefined, [kindKey(c)]: {} }, what: `every field missing (${c})` }));
  }
  first.push(() => ({ event: { timeMs: 0 }, what: 'an event of no kind' }));
  first.push(() => ({ event: { ...skeleton('network_connection'), network: { ...skeleton('network_connection').network, direction: 99 as Direction, protocol: 99 as Protocol } }, what: 'network enums out of range' }));
  for (const r of regexes) {
    for (const s of regexAttacks(r.re, rand)) first.push(() => one(r, s, `regex attack (${r.re.source.slice(0, 40)})`));
  }
  for (const r of regexes) {
    for (const s of regexHuge(r.re)) first.push(() => one(r, s, `${s.length}-char run for (${r.re.source.slice(0, 40)})`));
  }
  for (const make of first) {
    if (made >= n) return;
    const input = make();
    if (isHuge(input.event) && ++huge > MAX_HUGE) continue;
    made++;
    yield input;
  }

  // 2. Random hostile values in one to three fields the pack reads.
  while (made < n) {
    const t = pick(rand, targets);
    const e = template(t.category);
    const whats: string[] = [];
    const fields = [t, ...Array.from({ length: Math.floor(rand() * 3) }, () => pick(rand, targets.filter((x) => x.category === t.category)))];
    for (const f of fields) {
      const [value, what] = hostileValue(f.field, lits, rand);
      setField(e, f.category, f.field, value);
      whats.push(`${what} in ${f.field}`);
    }
    if (isHuge(e)) {
      if (huge >= MAX_HUGE) continue;
      huge++;
    }
    made++;
    yield { event: e, what: `${whats.join(', ')} (${t.category})` };
  }
}

function hostileValue(field: VigieField, lits: ReturnType<typeof packLiterals>, rand: Rand): [string | number, string] {
  if (VIGIE_FIELDS[field].type === 'number') return [pick(rand, [...NUMBERS, ...lits.numbers]), 'number at a limit'];
  if (/_ip$/.test(field) && rand() < 0.5) return [pick(rand, ADDRESSES), 'odd address'];
  const r = rand();
  if (lits.strings.length > 0 && r < 0.45) return [twistLiteral(pick(rand, lits.strings), rand), 'twisted pack literal'];
  if (lits.regexes.length > 0 && r < 0.6) return [pick(rand, regexAttacks(pick(rand, lits.regexes), rand, [16, 32, 48])), 'regex-shaped string'];
  return [genericString(rand), 'hostile string'];
}

function templatesOf(corpus: readonly Event[]): Map<RuleCategory, Event[]> {
  const out = new Map<RuleCategory, Event[]>();
  for (const e of corpus) {
    const c = categoryOf(e);
    if (!c) continue;
    const list = out.get(c) ?? [];
    if (list.length >= TEMPLATES_PER_CATEGORY) continue;
    list.push(e);
    out.set(c, list);
  }
  return out;
}

const kindKey = (c: RuleCategory): 'processStart' | 'network' | 'dns' => (c === 'process_creation' ? 'processStart' : c === 'network_connection' ? 'network' : 'dns');

function isHuge(e: Event): boolean {
  const kind = e.processStart ?? e.network ?? e.dns;
  if (!kind) return false;
  return Object.values(kind).some((v) => typeof v === 'string' && v.length >= HUGE) || (e.host?.length ?? 0) >= HUGE;
}
