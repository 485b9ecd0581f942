/**
 * `vigie rollout create BUNDLE`: a rollout of a signed bundle that passed pre-release validation.
 * The bundle is verified against the pinned root, must be newer than every version of its kind
 * the controller has seen, and is validated here with rollout/validate (the code of
 * `vigie rollout validate`, compared with the GA version) unless --validation names the JSON
 * report of an earlier run for this very bundle. Blocked: VIGIE_VALIDATION_BLOCKED, no rollout.
 */
import { join } from 'node:path';
import { DEFAULT_KEYS_DIR, type Admission } from '../../rollout/service/index.js';
import { ROOT_FILE } from '../../rollout/trust/index.js';
import { rolloutJson, serviceCommand } from './service-command.js';

const DEFAULT_ROOT = join(DEFAULT_KEYS_DIR, ROOT_FILE);
const INT = /^[0-9]+$/;

export const subcommand = serviceCommand('create', {
  summary: 'create a rollout of a signed bundle once validation passed (runs the validator, or takes --validation REPORT.json)',
  usage: `BUNDLE [--root ${DEFAULT_ROOT}] [--validation REPORT.json | --archive DIR --max-events N --fuzz N]`,
  options: {
    root: { type: 'string', default: DEFAULT_ROOT }, validation: { type: 'string' },
    archive: { type: 'string' }, 'max-events': { type: 'string' }, fuzz: { type: 'string' },
  },
  positionals: [1, 1],
  createsStore: true,
  check: (v) => {
    if (v['validation'] !== undefined && (v['archive'] ?? v['max-events'] ?? v['fuzz']) !== undefined) return '--validation takes a finished report: --archive, --max-events and --fuzz tune a validator run';
    for (const f of ['max-events', 'fuzz']) if (v[f] !== undefined && !INT.test(v[f] as string)) return `--${f} must be a whole number`;
    if (v['max-events'] === '0') return '--max-events must be at least 1';
    return undefined;
  },
  run: ({ service, values, positionals, actor }) => {
    const admission: Admission = values['validation'] !== undefined
      ? { kind: 'report', file: values['validation'] as string }
      : {
        kind: 'validate',
        options: {
          ...(values['archive'] !== undefined ? { archiveDir: values['archive'] as string } : {}),
          ...(values['max-events'] !== undefined ? { maxEvents: Number(values['max-events']) } : {}),
          ...(values['fuzz'] !== undefined ? { fuzz: Number(values['fuzz']) } : {}),
        },
      };
    return service.create(positionals[0]!, { root: values['root'] as string, actor, admission });
  },
  text: ({ rollout: r, validation: v }) => `${r.id}: ${r.kind} ${r.name} ${r.version} (from ${r.previous}) created, ${r.state}: ` +
    `${v.source === 'validator' ? 'validated here' : `validation report ${v.file}`}, ${v.checks.filter((c) => c.verdict === 'pass').length} checks passed, ` +
    `${v.checks.filter((c) => c.verdict === 'warn').length} warnings\n${v.checks.filter((c) => c.verdict === 'warn').map((c) => `    warn ${c.name}: ${c.detail}\n`).join('')}` +
    `start it with: vigie rollout start ${r.id}\n`,
  json: ({ rollout, validation }) => ({ rollout: rolloutJson(rollout), validation }),
});
