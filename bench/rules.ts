/**
 * `node dist/bench/rules.js` (after the build): the signature matcher's throughput with every
 * SigmaHQ process_creation rule, prefilter on versus naive (every rule evaluated on every event),
 * both measured in the same run, on the main thread. Prints one JSON line.
 *
 * - Rules: `compileSigma(loadRuleSources([../shared/sigma/sigmahq_rules_subset.tar.gz]))`, kept
 *   when their logsource category is process_creation. A rule the matcher refuses (a compiler
 *   bug) is dropped, counted in `rules_refused` and its problem printed on stderr.
 * - Events: the OTRF atomic replay (../shared/datasets/otrf-atomic/events.jsonl.gz) through the
 *   Sysmon adapter. `events_per_sec` and `naive_events_per_sec` count its process_creation
 *   events only: the ones these rules are evaluated on. `replay_mix_events_per_sec` is the
 *   whole replay (network and DNS events too, which no process_creation rule reads and the
 *   category index skips): a larger number, printed for completeness, not the headline.
 * - Timing: events are matched in batches of `BATCH`, the list repeated until each mode has run
 *   at least `MIN_SECONDS`, after a warm-up of at least `WARMUP_SECONDS` (JIT). Each pass
 *   matches a fresh copy of the events (`structuredClone`, made outside the timed part): on a
 *   real engine every event's strings are new, just decoded, so nothing a pass computes about
 *   them (lower-cased forms, V8's cached string hashes) may carry over to the next one.
 * - Both modes must return the same hits on one pass (`hits_agree`).
 * - `evaluated_per_event` is counted over the timed passes: after the prefilter's probation
 *   (its first 1,000 events, signatures/match/met-statistics.ts), as it runs from then on.
 * - VIGIE_BENCH_COMPARE=DIR (another build's dist/, copied under the repository so that its
 *   imports resolve, e.g. `cp -r dist var/dist-before`): this build's matcher and that one,
 *   loaded in one process, timed in alternating rounds of at least 0.3 s of this process's CPU
 *   time (what the other engineers' processes on a shared machine disturb least), after two
 *   warm-up rounds; `compare` gives the medians and the median of the per-round ratios. Both
 *   must return the same hits.
 *
 * Knobs: VIGIE_BENCH_RULES (a rule file, directory or .tar.gz), VIGIE_BENCH_EVENTS_FILE,
 * VIGIE_BENCH_SECONDS (per mode, default 2), VIGIE_BENCH_COMPARE, VIGIE_BENCH_ROUNDS (16).
 * Exit status 2 when ../shared is absent.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { formatProblem } from '../common/errors.js';
import type { Event } from '../common/events.js';
import { SysmonTranslator } from '../sensors/adapters/sysmon/index.js';
import type { CompiledRule } from '../signatures/ir.js';
import { buildRuleSet } from '../signatures/match/index.js';
import type { RuleSet } from '../signatures/match/index.js';
import { compileSigma, loadRuleSources } from '../signatures/sigma/index.js';

const BATCH = 1000;
const MIN_SECONDS = Number(process.env['VIGIE_BENCH_SECONDS'] ?? 2);
const WARMUP_SECONDS = 0.5;
/** CPU time of one compare round, per build. */
const ROUND_MS = 300;

/** The repository root: the nearest directory above this file holding package.json. */
function repoRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(resolve(dir, 'package.json'))) {
    const up = dirname(dir);
    if (up === dir) throw new Error('bench/rules: no package.json above this file');
    dir = up;
  }
  return dir;
}

/** Every event the Sysmon adapter makes of the replay, in order. */
function loadEvents(file: string): Event[] {
  const translator = new SysmonTranslator();
  const events: Event[] = [];
  const text = gunzipSync(readFileSync(file)).toString('utf8');
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    const out = translator.translateLine(line);
    if (out.kind === 'event') events.push(out.event);
  }
  return events;
}

/** Rules the matcher accepts; the others are reported on stderr and dropped. */
function buildAccepted(rules: CompiledRule[], prefilter: boolean): { set: RuleSet; refused: number } {
  const first = buildRuleSet(rules, { prefilter });
  if (first.ok) return { set: first.value, refused: 0 };
  const bad = new Set(first.problems.map((p) => p.location?.field));
  if (prefilter) for (const p of first.problems) process.stderr.write(`bench/rules: refused ${formatProblem(p)}\n`);
  const second = buildRuleSet(rules.filter((r) => !bad.has(r.id)), { prefilter });
  if (!second.ok) throw new Error(`bench/rules: rule set still refused: ${second.problems.map(formatProblem).join('; ')}`);
  return { set: second.value, refused: rules.length - second.value.rules.length };
}

function batchesOf(events: Event[]): Event[][] {
  const out: Event[][] = [];
  for (let i = 0; i < events.length; i += BATCH) out.push(events.slice(i, i + BATCH));
  return out;
}

/** The hits of one pass over `events`, as one comparable string. */
function hitsKey(set: Pick<RuleSet, 'match'>, events: Event[]): string {
  return batchesOf(events).map((b) => set.match(b).map((h) => `${h.event}:${h.rule}`).join(',')).join('|');
}

/** Events per second of CPU time, matching fresh copies until `ms` of CPU time have been spent. */
function cpuRound(set: Pick<RuleSet, 'match'>, events: Event[], ms: number): number {
  let used = 0;
  let matched = 0;
  while (used < ms) {
    const batches = batchesOf(structuredClone(events));
    const start = process.cpuUsage();
    for (const batch of batches) set.match(batch);
    const spent = process.cpuUsage(start);
    used += (spent.user + spent.system) / 1000;
    matched += events.length;
  }
  return matched / (used / 1000);
}

const median = (xs: readonly number[]): number => [...xs].sort((a, b) => a - b)[xs.length >> 1] as number;

/** Paired rounds of this build's matcher against the one in `dir` (see the module comment). */
async function compare(dir: string, rules: CompiledRule[], events: Event[], ours: RuleSet): Promise<Record<string, unknown>> {
  const other = (await import(pathToFileURL(resolve(dir, 'signatures', 'match', 'index.js')).href)) as { buildRuleSet: typeof buildRuleSet };
  const built = other.buildRuleSet(rules);
  if (!built.ok) throw new Error(`bench/rules: ${dir} refuses the rules: ${built.problems.map(formatProblem).join('; ')}`);
  const theirs = built.value;
  const sameHits = hitsKey(ours, events) === hitsKey(theirs, events);
  const rounds = Number(process.env['VIGIE_BENCH_ROUNDS'] ?? 16);
  const mine: number[] = [];
  const before: number[] = [];
  for (let r = -2; r < rounds; r++) {
    // Which goes first alternates, so that neither always runs in the other's wake.
    let x: number;
    let y: number;
    if (r % 2 === 0) {
      x = cpuRound(ours, events, ROUND_MS);
      y = cpuRound(theirs, events, ROUND_MS);
    } else {
      y = cpuRound(theirs, events, ROUND_MS);
      x = cpuRound(ours, events, ROUND_MS);
    }
    if (r >= 0) {
      mine.push(x);
      before.push(y);
    }
  }
  return {
    other: dir,
    hits_agree: sameHits,
    rounds,
    cpu_events_per_sec: Math.round(median(mine)),
    other_cpu_events_per_sec: Math.round(median(before)),
    ratio_median: Math.round(median(mine.map((x, i) => x / (before[i] as number))) * 1000) / 1000,
  };
}

/**
 * Matches fresh copies of the events, batch by batch, until `seconds` of matching have been
 * timed (the copying is not timed); events per second.
 */
function run(set: RuleSet, events: Event[], seconds: number): { eventsPerSec: number; events: number; seconds: number; hits: number } {
  let matched = 0;
  let hits = 0;
  let elapsed = 0;
  while (elapsed < seconds * 1000) {
    const batches = batchesOf(structuredClone(events));
    const start = performance.now();
    for (const batch of batches) hits += set.match(batch).length;
    elapsed += performance.now() - start;
    matched += events.length;
  }
  return { eventsPerSec: matched / (elapsed / 1000), events: matched, seconds: elapsed / 1000, hits };
}

async function main(): Promise<number> {
  const root = repoRoot();
  const shared = resolve(root, '..', 'shared');
  const rulesPath = process.env['VIGIE_BENCH_RULES'] ?? resolve(shared, 'sigma', 'sigmahq_rules_subset.tar.gz');
  const eventsPath = process.env['VIGIE_BENCH_EVENTS_FILE'] ?? resolve(shared, 'datasets', 'otrf-atomic', 'events.jsonl.gz');
  for (const [what, path] of [['rules', rulesPath], ['events', eventsPath]] as const) {
    if (!existsSync(path)) {
      process.stderr.write(`bench/rules: ${what} not found at ${path} (the bench needs ../shared beside the repository; VIGIE_BENCH_RULES / VIGIE_BENCH_EVENTS_FILE override)\n`);
      return 2;
    }
  }

  const sources = loadRuleSources([rulesPath]);
  if (!sources.ok) {
    process.stderr.write(`bench/rules: ${formatProblem(sources.error)}\n`);
    return 1;
  }
  const compiled = compileSigma(sources.value);
  const rules = compiled.rules.filter((r) => r.logsource.category === 'process_creation');
  const replay = loadEvents(eventsPath);
  const events = replay.filter((e) => e.processStart);
  if (rules.length === 0 || events.length === 0) {
    process.stderr.write(`bench/rules: nothing to measure (${rules.length} rules, ${events.length} events)\n`);
    return 1;
  }

  const t0 = performance.now();
  const fast = buildAccepted(rules, true);
  const buildMs = performance.now() - t0;
  const naive = buildAccepted(rules, false);
  const batches = batchesOf(events);

  // One pass each: the modes must agree, and it is the first part of the warm-up.
  const key = (hs: { rule: number; event: number }[]) => hs.map((h) => `${h.event}:${h.rule}`).join(',');
  const hitsFast = batches.map((b) => fast.set.match(b)).flat();
  const hitsNaive = batches.map((b) => naive.set.match(b)).flat();

  run(fast.set, events, WARMUP_SECONDS);
  run(naive.set, events, WARMUP_SECONDS);
  const before = fast.set.counters();
  const f = run(fast.set, events, MIN_SECONDS);
  const after = fast.set.counters();
  const n = run(naive.set, events, MIN_SECONDS);
  const mix = run(fast.set, replay, MIN_SECONDS / 2);

  const [stats] = fast.set.prefilterStats();
  const comparison = process.env['VIGIE_BENCH_COMPARE'];
  process.stdout.write(
    `${JSON.stringify({
      events_per_sec: Math.round(f.eventsPerSec),
      naive_events_per_sec: Math.round(n.eventsPerSec),
      speedup: Math.round((f.eventsPerSec / n.eventsPerSec) * 10) / 10,
      rules: fast.set.rules.length,
      events: events.length,
      hits: hitsFast.length,
      hits_agree: key(hitsFast) === key(hitsNaive),
      events_with_hits: new Set(hitsFast.map((h) => h.event)).size,
      evaluated_per_event: Math.round(((after.evaluated - before.evaluated) / (after.events - before.events)) * 10) / 10,
      rules_compiled: compiled.rules.length,
      rules_refused: fast.refused,
      compile_problems: compiled.problems.length,
      out_of_scope: compiled.outOfScope.length,
      build_ms: Math.round(buildMs),
      prefilter: stats && {
        literals: stats.literals,
        requirements: stats.requirements,
        requirements_counted: stats.counted,
        rules_without_requirement: stats.always,
        scanned_fields: stats.fields.length,
        automaton_states: stats.fields.reduce((sum, x) => sum + (x.states ?? 0), 0),
        table_bytes: stats.tableBytes,
      },
      timed_events: f.events,
      timed_seconds: Math.round(f.seconds * 100) / 100,
      naive_timed_events: n.events,
      naive_timed_seconds: Math.round(n.seconds * 100) / 100,
      batch: BATCH,
      replay_mix_events_per_sec: Math.round(mix.eventsPerSec),
      replay_mix_events: replay.length,
      ...(comparison ? { compare: await compare(comparison, [...fast.set.rules], events, fast.set) } : {}),
    })}\n`,
  );
  return 0;
}

process.exitCode = await main();
