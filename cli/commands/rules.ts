/**
 * `vigie rules compile|validate|test`: Sigma rules to signature packs, with every problem named
 * (file, line, code), and the SigmaHQ regression check.
 */
import { existsSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { formatLocation, type VigieProblem } from '../../common/errors.js';
import { buildPack, writePackFile } from '../../signatures/pack/index.js';
import { readSamples, runRegression } from '../../signatures/regression.js';
import type { Command, CommandContext } from '../command.js';

const DEFAULT_SIGMAHQ = '../shared/sigma/sigmahq_rules_subset.tar.gz';
const SEMVER = /^\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?$/;

function problemLine(p: VigieProblem): string {
  return `${p.location ? `${formatLocation(p.location)}: ` : ''}${p.code}: ${p.message}`;
}

async function compile(ctx: CommandContext, argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv, allowPositionals: true,
    options: { out: { type: 'string' }, name: { type: 'string', default: 'custom' }, version: { type: 'string', default: '0.1.0' }, 'allow-partial': { type: 'boolean' }, json: { type: 'boolean' } },
  });
  if (positionals.length === 0 || !values.out) {
    ctx.stderr('usage: vigie rules compile DIR|FILE|TAR.GZ... --out PACK.json [--name N] [--version X.Y.Z] [--allow-partial] [--json]\n');
    return 2;
  }
  if (!SEMVER.test(values.version!)) {
    ctx.stderr(`vigie rules compile: --version must be a semantic version (X.Y.Z), got "${values.version}"\n`);
    return 2;
  }
  const built = buildPack(positionals, { name: values.name!, version: values.version! });
  if (!built.ok) {
    for (const p of built.problems) ctx.stderr(`${problemLine(p)}\n`);
    return 1;
  }
  const { pack, problems, outOfScope, files } = built.value;
  for (const p of problems) ctx.stderr(`${problemLine(p)}\n`);
  const summary = { out: values.out, name: pack.name, version: pack.version, files, rules: pack.rules.length, problems: problems.length, out_of_scope: outOfScope.length, written: false };
  if (problems.length > 0 && !values['allow-partial']) {
    ctx.stderr(`vigie rules compile: ${problems.length} problems; no pack written (--allow-partial writes the ${pack.rules.length} rules that compiled)\n`);
    ctx.stdout((values.json ? JSON.stringify(summary) : `not written: ${problems.length} problems`) + '\n');
    return 1;
  }
  const written = writePackFile(values.out, pack);
  if (!written.ok) {
    ctx.stderr(`${problemLine(written.error)}\n`);
    return 1;
  }
  summary.written = true;
  ctx.stdout((values.json ? JSON.stringify(summary) : `${values.out}: ${pack.name} ${pack.version}, ${pack.rules.length} rules from ${files} files (${outOfScope.length} out of scope, ${problems.length} problems)`) + '\n');
  return 0;
}

async function validate(ctx: CommandContext, argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({ args: argv, allowPositionals: true, options: { json: { type: 'boolean' }, 'list-out-of-scope': { type: 'boolean' } } });
  if (positionals.length === 0) {
    ctx.stderr('usage: vigie rules validate DIR|FILE|TAR.GZ... [--json] [--list-out-of-scope]\n');
    return 2;
  }
  const built = buildPack(positionals, { name: 'validate', version: '0.0.0' });
  if (!built.ok) {
    for (const p of built.problems) ctx.stderr(`${problemLine(p)}\n`);
    return 1;
  }
  const { pack, problems, outOfScope, files } = built.value;
  const inScope = pack.rules.length + new Set(problems.map((p) => `${p.location?.file}:${p.location?.field ?? p.location?.line}`)).size;
  const byCode: Record<string, number> = {};
  for (const p of problems) byCode[p.code] = (byCode[p.code] ?? 0) + 1;
  if (values.json) {
    ctx.stdout(`${JSON.stringify({ files, compiled: pack.rules.length, in_scope: inScope, compile_rate: inScope ? Math.round((pack.rules.length / inScope) * 10_000) / 10_000 : 0, out_of_scope: outOfScope.length, problems, by_code: byCode })}\n`);
  } else {
    for (const p of problems) ctx.stdout(`${problemLine(p)}\n`);
    if (values['list-out-of-scope']) for (const o of outOfScope) ctx.stdout(`${o.file}:${o.line}: out of scope (${o.logsource})\n`);
    ctx.stdout(`${files} files: ${pack.rules.length} rules compiled, ${problems.length} problems, ${outOfScope.length} out of scope (logsources other than process_creation, network_connection, dns_query)\n`);
  }
  return problems.length === 0 ? 0 : 1;
}

async function test(ctx: CommandContext, argv: string[]): Promise<number> {
  const { values } = parseArgs({ args: argv, options: { 'sigma-regression': { type: 'string' }, rules: { type: 'string', default: DEFAULT_SIGMAHQ }, json: { type: 'boolean' } } });
  const file = values['sigma-regression'];
  if (!file) {
    ctx.stderr('usage: vigie rules test --sigma-regression SAMPLES.jsonl [--rules DIR|TAR.GZ] [--json]\n');
    return 2;
  }
  if (!existsSync(values.rules!)) {
    ctx.stderr(`vigie rules test: rules not found at ${values.rules} (give --rules DIR|TAR.GZ)\n`);
    return 2;
  }
  const samples = readSamples(file);
  if (!samples.ok) {
    ctx.stderr(`${problemLine(samples.error)}\n`);
    return 1;
  }
  const built = buildPack([values.rules!], { name: 'regression', version: '0.0.0' });
  if (!built.ok) {
    for (const p of built.problems) ctx.stderr(`${problemLine(p)}\n`);
    return 1;
  }
  const why = new Map<string, string>();
  for (const p of built.value.problems) if (p.location?.field) why.set(p.location.field, `${p.code}: ${p.message}`);
  const report = runRegression(samples.value, built.value.pack.rules, why);
  for (const s of report.samples) {
    if (values.json) ctx.stdout(`${JSON.stringify(s)}\n`);
    else if (!s.passed) ctx.stdout(`FAIL ${s.ruleId} ${s.title}: ${s.reason}\n`);
  }
  const { samples: _s, ...summary } = report;
  ctx.stdout(values.json ? `${JSON.stringify(summary)}\n` : `${report.passed} passed, ${report.failed} failed, ${report.out_of_scope} out of scope: pass rate ${(report.pass_rate * 100).toFixed(1)}%\n`);
  return report.failed === 0 ? 0 : 1;
}

const SUBCOMMANDS: Record<string, (ctx: CommandContext, argv: string[]) => Promise<number>> = { compile, validate, test };

export const command: Command = {
  summary: 'Compile Sigma rules into a signature pack, validate them, run the SigmaHQ regression samples',
  usage: 'vigie rules compile DIR... --out PACK.json | rules validate DIR... | rules test --sigma-regression FILE [--rules DIR|TAR.GZ] [--json]',
  async run(ctx) {
    const [sub, ...rest] = ctx.argv;
    const run = sub ? SUBCOMMANDS[sub] : undefined;
    if (!run) {
      ctx.stderr(`usage: ${this.usage}\n`);
      return 2;
    }
    return run(ctx, rest);
  },
};
