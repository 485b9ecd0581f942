/**
 * The default signature pack (signatures/rules): every rule compiles, every rule's cases hold
 * against a rule set of the whole pack (so a rule is tested beside all the others, as sensors run
 * it), and the pack detects every attack scenario of the simulated fleet while staying quiet on
 * its benign activity.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { Event } from '../../../common/events.js';
import type { CompiledRule } from '../../../signatures/ir.js';
import { buildRuleSet, type RuleSet } from '../../../signatures/match/index.js';
import { compileSigma, loadRuleSources, type CompileOutcome } from '../../../signatures/sigma/index.js';
import { createBehaviour, createFleet, DAY_MS, DEFAULT_FLEET_START_MS, HOUR_MS, scenarioNames, type VirtualHost } from '../../../sensors/simulate/behaviour/index.js';

const RULES_DIR = fileURLToPath(new URL('../../../signatures/rules/', import.meta.url));
const CASES_DIR = join(RULES_DIR, 'cases');

/** Files under `dir` ending with `ext`, as paths relative to `dir` with `/` separators, sorted. */
function filesUnder(dir: string, ext: string, skip?: string): string[] {
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const entry of readdirSync(d, { withFileTypes: true })) {
      const full = join(d, entry.name);
      if (entry.isDirectory() && full !== skip) walk(full);
      else if (entry.isFile() && entry.name.endsWith(ext)) out.push(relative(dir, full).split(sep).join('/'));
    }
  };
  walk(dir);
  return out.sort();
}

/** A rule's expected behaviour, as data: signatures/rules/cases/<rule path>.json. */
interface RuleCases {
  rule: string;
  positive: Event[];
  negative: Event[];
}

const ruleFiles = filesUnder(RULES_DIR, '.yml', CASES_DIR);
const caseFiles = filesUnder(CASES_DIR, '.json');
const readCases = (file: string): RuleCases => JSON.parse(readFileSync(join(CASES_DIR, file), 'utf8')) as RuleCases;

interface Pack {
  outcome: CompileOutcome;
  ruleSet: RuleSet;
  /** Rule index in the rule set, by rule id. */
  index: Map<string, number>;
  /** Rule by its path relative to RULES_DIR without extension ("windows/net-user-add"). */
  byPath: Map<string, CompiledRule>;
}

let cached: Pack | undefined;

/** Compiles the pack once for the whole file; throws (failing the test that asked) when it cannot. */
function pack(): Pack {
  if (cached) return cached;
  const sources = loadRuleSources([RULES_DIR]);
  if (!sources.ok) throw new Error(`${sources.error.code}: ${sources.error.message}`);
  const outcome = compileSigma(sources.value);
  const built = buildRuleSet(outcome.rules);
  if (!built.ok) throw new Error(`buildRuleSet failed: ${built.problems.map((p) => p.message).join('; ')}`);
  const index = new Map(outcome.rules.map((r, i) => [r.id, i]));
  const byPath = new Map(outcome.rules.map((r) => [relative(RULES_DIR, r.source.file).split(sep).join('/').replace(/\.yml$/, ''), r]));
  cached = { outcome, ruleSet: built.value, index, byPath };
  return cached;
}

/** A short description of an event, for failure messages. */
function describeEvent(e: Event): string {
  if (e.processStart) return `process ${e.processStart.image} | ${e.processStart.commandLine} (parent ${e.processStart.parentImage})`;
  if (e.network) return `network ${e.network.image} -> ${e.network.remoteAddress}:${e.network.remotePort} (direction ${e.network.direction})`;
  if (e.dns) return `dns ${e.dns.image} ? ${e.dns.queryName}`;
  return JSON.stringify(e).slice(0, 200);
}

describe('default signature pack: rules', () => {
  it('compiles every rule file with no problem and nothing out of scope', () => {
    const { outcome } = pack();
    expect(outcome.problems).toEqual([]);
    expect(outcome.outOfScope).toEqual([]);
    expect(outcome.rules.length).toBe(ruleFiles.length);
    expect(ruleFiles.length).toBeGreaterThanOrEqual(25);
  });

  it('gives every rule a unique UUID v4, our metadata and ATT&CK tags with their references', () => {
    const { outcome } = pack();
    const ids = outcome.rules.map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const r of outcome.rules) {
      const where = `${r.source.file}: ${r.title}`;
      expect(r.id, where).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      expect(r.status, where).toBe('experimental');
      expect(r.author, where).toBe('Vigie project');
      expect(r.description.length, where).toBeGreaterThan(40);
      expect(r.falsepositives.length, where).toBeGreaterThan(0);
      const techniques = r.tags.filter((t) => /^attack\.t\d{4}(\.\d{3})?$/.test(t));
      expect(techniques.length, where).toBeGreaterThan(0);
      expect(r.tags.some((t) => /^attack\.[a-z_]+$/.test(t) && !/^attack\.t\d/.test(t)), `${where}: a tactic tag`).toBe(true);
      // Every technique tagged has its ATT&CK page among the references, or its parent technique's.
      for (const t of techniques) {
        const [id, sub] = t.slice('attack.'.length).toUpperCase().split('.');
        const own = `https://attack.mitre.org/techniques/${id}/${sub ? `${sub}/` : ''}`;
        const parent = `https://attack.mitre.org/techniques/${id}/`;
        expect(r.references.some((u) => u === own || u === parent), `${where}: reference for ${t}`).toBe(true);
      }
      expect(r.source.file.includes(`${sep}windows${sep}`) ? 'windows' : 'linux', where).toBe(r.logsource.product);
    }
  });

  it('builds one rule set from the whole pack', () => {
    expect(pack().ruleSet.rules.length).toBe(ruleFiles.length);
  });

  it('lists every rule, with its title and level, in the README table', () => {
    const readme = readFileSync(join(RULES_DIR, 'README.md'), 'utf8');
    for (const [path, rule] of pack().byPath) {
      expect(readme, path).toContain(`| [${path}](${path}.yml) | ${rule.title} |`);
      expect(readme, path).toMatch(new RegExp(`\\(${path}\\.yml\\) \\|[^\\n]*\\| ${rule.level} \\|`));
    }
  });

  it('has a cases file for every rule, and every cases file names the rule beside it', () => {
    const withCases = new Set(caseFiles.map((f) => f.replace(/\.json$/, '')));
    expect(ruleFiles.map((f) => f.replace(/\.yml$/, '')).filter((f) => !withCases.has(f)), 'rules without cases').toEqual([]);
    const { byPath } = pack();
    for (const file of caseFiles) {
      const rule = byPath.get(file.replace(/\.json$/, ''));
      expect(rule, `${file}: no rule at the same path`).toBeDefined();
      expect(readCases(file).rule, file).toBe(rule?.id);
    }
  });
});

describe('default signature pack: cases', () => {
  it.each(caseFiles)('%s', (file) => {
    const { ruleSet, index } = pack();
    const cases = readCases(file);
    const rule = index.get(cases.rule);
    expect(rule, `${file} names unknown rule ${cases.rule}`).toBeDefined();
    expect(cases.positive.length, 'positives').toBeGreaterThanOrEqual(2);
    expect(cases.negative.length, 'negatives').toBeGreaterThanOrEqual(2);
    const firedOn = (events: Event[]): Set<number> =>
      new Set(ruleSet.match(events).filter((h) => h.rule === rule).map((h) => h.event));
    const pos = firedOn(cases.positive);
    const missed = cases.positive.filter((_, i) => !pos.has(i)).map(describeEvent);
    expect(missed, 'positives the rule missed').toEqual([]);
    const neg = firedOn(cases.negative);
    const wrong = cases.negative.filter((_, i) => neg.has(i)).map(describeEvent);
    expect(wrong, 'negatives the rule fired on').toEqual([]);
  });
});

/**
 * The simulated fleet: one town of 200 hosts (every role) over a whole Monday, with every scenario
 * scheduled, each variant on its own hosts, in office hours (the user's real session) and at night
 * (the attacker opens an RDP session).
 */
describe('default signature pack: simulated fleet', () => {
  const MONDAY = DEFAULT_FLEET_START_MS;
  const at = (hour: number): number => MONDAY + hour * HOUR_MS;

  it('detects every scenario (every variant) and almost never fires on benign activity', { timeout: 180_000 }, () => {
    const { ruleSet } = pack();
    const fleet = createFleet({ hosts: 200, seed: 42, tenants: ['beaumont'] });
    const behaviour = createBehaviour({ fleet });
    const ws = fleet.filter((h) => h.role === 'workstation');
    const role = (r: VirtualHost['role']): VirtualHost => {
      const h = fleet.find((x) => x.role === r);
      if (!h) throw new Error(`no ${r} in the fleet`);
      return h;
    };
    const plan: Array<[name: string, host: VirtualHost, atMs: number, target?: VirtualHost, params?: Record<string, number>]> = [
      ['phishing-encoded-shell', ws[0]!, at(10)],
      ['phishing-encoded-shell', ws[1]!, at(3)],
      ['credential-dumping', ws[2]!, at(10.5), undefined, { variant: 0 }],
      ['credential-dumping', ws[3]!, at(11), undefined, { variant: 1 }],
      ['credential-dumping', ws[4]!, at(2), undefined, { variant: 2 }],
      ['credential-dumping', role('dc'), at(14), undefined, { variant: 0 }],
      ['lateral-movement', ws[5]!, at(15), role('file-server'), { variant: 0 }],
      ['lateral-movement', ws[6]!, at(15.5), role('app-server'), { variant: 1 }],
      ['lateral-movement', ws[7]!, at(16), ws[8]!, { variant: 2 }],
      ['ransomware', ws[9]!, at(17), role('file-server')],
      ['beaconing-c2', ws[10]!, at(9.5), undefined, { durationMs: HOUR_MS }],
      ['beaconing-c2', role('linux-web'), at(11), undefined, { durationMs: HOUR_MS }],
    ];
    const runs = plan.map(([name, host, atMs, target, params]) => {
      const r = behaviour.scheduleScenario(name, { atMs, host, ...(target ? { target } : {}), ...(params ? { params } : {}) });
      if (!r.ok) throw new Error(`${name}: ${r.error.message}`);
      return r.value;
    });
    expect(new Set(runs.map((r) => r.name))).toEqual(new Set(scenarioNames));

    let benign = 0;
    let labelled = 0;
    const benignHits: string[] = [];
    /** Events with at least one hit, per "host|label". */
    const hitEvents = new Map<string, number>();
    /** Hit counts per label, per rule title. */
    const rulesByLabel = new Map<string, Map<string, number>>();
    for (const host of fleet) {
      const events = behaviour.generate(host, MONDAY, MONDAY + DAY_MS);
      const hits = ruleSet.match(events);
      const seen = new Set<number>();
      for (const h of hits) {
        const e = events[h.event]!;
        const label = e.label ?? '';
        const title = ruleSet.rules[h.rule]!.title;
        const byRule = rulesByLabel.get(label) ?? new Map<string, number>();
        rulesByLabel.set(label, byRule.set(title, (byRule.get(title) ?? 0) + 1));
        if (seen.has(h.event)) continue;
        seen.add(h.event);
        hitEvents.set(`${host.name}|${label}`, (hitEvents.get(`${host.name}|${label}`) ?? 0) + 1);
        if (label === '' && benignHits.length < 20) benignHits.push(`${host.name}: ${title}: ${describeEvent(e)}`);
      }
      for (const e of events) {
        if (e.label) labelled++;
        else benign++;
      }
    }

    const benignHitEvents = [...hitEvents].filter(([k]) => k.endsWith('|')).reduce((n, [, v]) => n + v, 0);
    const summary = [...rulesByLabel]
      .map(([label, rules]) => `  ${label || '(benign)'}: ${[...rules].map(([t, n]) => `${t} x${n}`).join('; ')}`)
      .join('\n');
    console.log(
      `default pack on the simulated fleet: ${fleet.length} hosts, 24 h, ${benign} benign and ${labelled} attack events; ` +
        `benign events with a hit: ${benignHitEvents} (${((benignHitEvents / benign) * 100).toFixed(5)}%)\n${summary}` +
        (benignHits.length > 0 ? `\nfirst benign hits:\n  ${benignHits.join('\n  ')}` : ''),
    );

    for (const run of runs) {
      const detected = Object.keys(run.counts).reduce((n, h) => n + (hitEvents.get(`${h}|${run.name}`) ?? 0), 0);
      expect(detected, `${run.name} on ${run.host} at ${new Date(run.atMs).toISOString()}`).toBeGreaterThan(0);
    }
    expect(benign).toBeGreaterThan(500_000);
    // Aim: none. Allow one benign event in a million before calling the pack noisy.
    expect(benignHitEvents / benign, benignHits.join('\n')).toBeLessThanOrEqual(1e-6);
  });
});
