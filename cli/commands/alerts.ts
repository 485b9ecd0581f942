/**
 * `vigie alerts list|show|ack|state|resolve|assign|note`: triage from the shell, on the store file
 * (the engine may be running: WAL). The CLI is the store's local operator: every tenant, and its
 * actions are recorded under `--as NAME` (default cli:<login name>). `show` draws the process tree
 * from the alert's context: kept in the store, or read from the archive without its lock
 * (ArchiveReader: the engine may be running), or, with --no-context or no archive, from the
 * alert's detections only.
 */
import { userInfo } from 'node:os';
import { parseArgs } from 'node:util';
import { unwrap, VigieError, type Result } from '../../common/errors.js';
import { varPaths } from '../../common/identity.js';
import { ArchiveReader } from '../../engine/archive/index.js';
import { alertFilter } from '../../engine/api/index.js';
import { ALERT_STATES, ALL_TENANTS, SqliteStore, type AlertRecord, type AlertState } from '../../engine/store/index.js';
import { alertView, alertViewWithContext, ProcessContexts, STATE_LABELS, TriageActions, type TreeNode } from '../../engine/triage/index.js';
import type { Command, CommandContext } from '../command.js';

const USAGE = `vigie alerts list [--var DIR] [--state open|all|STATE[,STATE]] [--severity S[,S]] [--tenant T] [--host H] [--q TEXT] [--limit N] [--json]
       vigie alerts show ID [--json] [--no-context]
       vigie alerts ack ID [--note TEXT]
       vigie alerts state ID ${ALERT_STATES.join('|')} [--duplicate-of ID] [--note TEXT]
       vigie alerts resolve ID --verdict tp|fp [--note TEXT] [--exception --reason TEXT [--rule ID] [--host H] [--image GLOB] [--command-line GLOB] [--days N]]
       vigie alerts assign ID USER|--none
       vigie alerts note ID TEXT
       vigie alerts exceptions [--all] | vigie alerts revoke-exception ID
  common: [--var DIR] [--as NAME]`;

const OPTIONS = {
  var: { type: 'string', default: './var' }, as: { type: 'string' }, json: { type: 'boolean' }, state: { type: 'string' }, severity: { type: 'string' },
  tenant: { type: 'string' }, host: { type: 'string' }, q: { type: 'string' }, limit: { type: 'string', default: '50' }, note: { type: 'string' },
  verdict: { type: 'string' }, exception: { type: 'boolean' }, reason: { type: 'string' }, rule: { type: 'string' }, image: { type: 'string' },
  'command-line': { type: 'string' }, days: { type: 'string' }, none: { type: 'boolean' }, 'duplicate-of': { type: 'string' }, all: { type: 'boolean' },
  'no-context': { type: 'boolean' },
} as const;

function idOf(v: string | undefined): number {
  const id = Number(v);
  if (!Number.isInteger(id) || id <= 0) throw new VigieError('VIGIE_CONFIG_INVALID', `an alert id is a positive integer, got "${v ?? ''}"`, { field: 'id' });
  return id;
}

const print = (ctx: CommandContext, r: Result<AlertRecord>, json?: boolean): number => {
  const a = unwrap(r);
  ctx.stdout(json ? `${JSON.stringify(a)}\n` : `alert #${a.id}: ${STATE_LABELS[a.state]}${a.assignee ? `, assigned to ${a.assignee}` : ''}\n`);
  return 0;
};

function row(a: AlertRecord): string {
  return `${String(a.id).padStart(7)}  ${`[${a.severity.toUpperCase()}]`.padEnd(16)}${STATE_LABELS[a.state].padEnd(26)}${a.tenant.slice(0, 19).padEnd(20)}${a.host.slice(0, 17).padEnd(18)}` +
    `${String(a.detections).padStart(5)}  ${new Date(a.lastMs).toISOString().slice(0, 19)}  ${a.technique.padEnd(10)} ${a.title}\n`;
}

/** Alert contexts read from the archive in --var without its lock; without an archive, a note says so. */
async function contextsFor(store: SqliteStore, varDir: string): Promise<ProcessContexts> {
  const dir = varPaths(varDir).archive;
  const reader = await ArchiveReader.open(dir);
  if (reader.ok) return new ProcessContexts(store, { source: reader.value });
  return new ProcessContexts(store, { unavailable: `No archive could be read at ${dir} (${reader.error.code})` });
}

function tree(nodes: TreeNode[], depth: number, out: string[]): void {
  for (const n of nodes) {
    const fired = n.detections.map((d) => `${d.title}${d.count > 1 ? ` x${d.count}` : ''}`).join('; ');
    out.push(`${'  '.repeat(depth)}- [${n.relation}] ${n.image.split(/[\\/]/).pop()} (pid ${n.pid}${n.user ? `, ${n.user}` : ''}${n.exitTimeMs ? `, exited ${new Date(n.exitTimeMs).toISOString()}` : ''}): ${n.commandLine}` +
      `${fired ? `\n${'  '.repeat(depth + 2)}fired: ${fired}` : ''}${n.peers.length ? `\n${'  '.repeat(depth + 2)}network: ${n.peers.join(', ')}` : ''}`);
    tree(n.children, depth + 1, out);
  }
}

export const command: Command = {
  summary: 'Triage alerts: list the queue, show one with its evidence and tree, acknowledge, resolve, assign, note',
  usage: USAGE,
  async run(ctx) {
    const [sub, ...rest] = ctx.argv;
    const { values, positionals } = parseArgs({ args: rest, options: OPTIONS, allowPositionals: true });
    if (!sub || !['list', 'show', 'ack', 'state', 'resolve', 'assign', 'note', 'exceptions', 'revoke-exception'].includes(sub)) {
      ctx.stderr(`usage: ${USAGE}\n`);
      return 2;
    }
    const store = unwrap(SqliteStore.open(varPaths(values.var).store));
    const actor = { name: values.as ?? `cli:${userInfo().username}`, scope: ALL_TENANTS };
    const triage = new TriageActions(store);
    try {
      switch (sub) {
        case 'list': {
          const limit = Number(values.limit);
          if (!Number.isInteger(limit) || limit <= 0 || limit > 10_000) throw new VigieError('VIGIE_CONFIG_INVALID', '--limit must be an integer in 1..10000', { field: 'limit' });
          const f = unwrap(alertFilter({ state: values.state, severity: values.severity, tenant: values.tenant, host: values.host, q: values.q, limit }));
          const rows = store.alerts.list(ALL_TENANTS, f).slice(0, limit);
          if (values.json) { for (const a of rows) ctx.stdout(`${JSON.stringify(a)}\n`); return 0; }
          if (rows.length === 0) { ctx.stdout('no alerts\n'); return 0; }
          ctx.stdout(`${'id'.padStart(7)}  ${'severity'.padEnd(16)}${'state'.padEnd(26)}${'tenant'.padEnd(20)}${'host'.padEnd(18)}${'det'.padStart(5)}  ${'last seen (UTC)'.padEnd(19)}  ${'technique'.padEnd(10)} title\n`);
          for (const a of rows) ctx.stdout(row(a));
          return 0;
        }
        case 'show': {
          const id = idOf(positionals[0]);
          const v = values['no-context'] ? alertView(store, ALL_TENANTS, id) : await alertViewWithContext(store, ALL_TENANTS, id, await contextsFor(store, values.var));
          if (!v) throw new VigieError('VIGIE_NOT_FOUND', 'no such alert', { field: 'id' });
          if (values.json) { ctx.stdout(`${JSON.stringify(v)}\n`); return 0; }
          const a = v.alert;
          const out = [`alert #${a.id} [${a.severity.toUpperCase()}] ${a.title}`, `  state ${STATE_LABELS[a.state]}, assignee ${a.assignee ?? 'nobody'}, tenant ${a.tenant}, host ${a.host}`,
            `  ATT&CK ${a.tactic} / ${a.technique}; ${a.detections} detections from ${new Date(a.firstMs).toISOString()} to ${new Date(a.lastMs).toISOString()}`, 'what fired:'];
          for (const e of v.evidence) {
            out.push(`  [${e.severity.toUpperCase()}] ${e.title} (${e.source} ${e.ruleId}) x${e.count}${e.tags.length ? ` tags ${e.tags.join(', ')}` : ''}`);
            for (const x of e.explanations) out.push(`      - ${x}`);
          }
          out.push(`process tree (${v.context.source === 'archive' ? 'from the archive' : 'from detections only'}${values['no-context'] ? ', --no-context' : ''}): ${v.context.note}`);
          tree(v.tree.roots, 1, out);
          out.push('history:', ...v.history.map((h) => `  ${new Date(h.timeMs).toISOString()} ${h.actor} ${h.action} ${JSON.stringify(h.detail)}`));
          if (v.notes.length) out.push('notes:', ...v.notes.map((n) => `  ${new Date(n.timeMs).toISOString()} ${n.author}: ${n.text}`));
          ctx.stdout(`${out.join('\n')}\n`);
          return 0;
        }
        case 'ack':
          return print(ctx, triage.transition(actor, idOf(positionals[0]), 'acknowledged', values.note !== undefined ? { note: values.note } : {}), values.json);
        case 'state': {
          const to = positionals[1] as AlertState;
          if (!(ALERT_STATES as readonly string[]).includes(to)) throw new VigieError('VIGIE_CONFIG_INVALID', `state must be one of ${ALERT_STATES.join(', ')}`, { field: 'state' });
          const dup = values['duplicate-of'] === undefined ? {} : { duplicateOf: idOf(values['duplicate-of']) };
          return print(ctx, triage.transition(actor, idOf(positionals[0]), to, { ...dup, ...(values.note !== undefined ? { note: values.note } : {}) }), values.json);
        }
        case 'resolve': {
          const verdict = values.verdict === 'tp' ? 'true_positive' : values.verdict === 'fp' ? 'false_positive' : undefined;
          if (!verdict) throw new VigieError('VIGIE_CONFIG_INVALID', '--verdict must be tp or fp', { field: 'verdict' });
          const days = values.days === undefined ? 30 : Number(values.days);
          const exception = values.exception ? {
            ruleId: values.rule ?? null, host: values.host ?? null, image: values.image ?? null, commandLine: values['command-line'] ?? null,
            reason: values.reason ?? '', expiresInDays: days,
          } : undefined;
          const r = unwrap(triage.resolve(actor, idOf(positionals[0]), verdict, { ...(values.note !== undefined ? { note: values.note } : {}), ...(exception ? { exception } : {}) }));
          ctx.stdout(values.json ? `${JSON.stringify(r)}\n` : `alert #${r.alert.id}: ${STATE_LABELS[r.alert.state]}${r.exception ? `; exception #${r.exception.id} until ${new Date(r.exception.expiresMs).toISOString()}` : ''}\n`);
          return 0;
        }
        case 'assign': {
          const user = values.none ? null : positionals[1];
          if (user === undefined) throw new VigieError('VIGIE_CONFIG_INVALID', 'name a user, or --none to unassign', { field: 'assignee' });
          return print(ctx, triage.assign(actor, idOf(positionals[0]), user), values.json);
        }
        case 'exceptions': {
          const rows = store.exceptions.list(ALL_TENANTS, values.all ? {} : { activeAt: Date.now() });
          if (values.json) { for (const e of rows) ctx.stdout(`${JSON.stringify(e)}\n`); return 0; }
          if (rows.length === 0) { ctx.stdout('no exceptions\n'); return 0; }
          for (const e of rows) {
            const what = [e.ruleId && `rule ${e.ruleId}`, e.host && `host ${e.host}`, e.image && `image ${e.image}`, e.commandLine && `command line ${e.commandLine}`].filter(Boolean).join(', ');
            const status = e.revokedMs ? `revoked by ${e.revokedBy}` : e.expiresMs <= Date.now() ? 'expired' : `until ${new Date(e.expiresMs).toISOString().slice(0, 10)}`;
            ctx.stdout(`#${e.id} ${e.tenant ?? 'all tenants'}: ${what} — ${e.reason} (by ${e.author}, ${status}, ${e.hits} hits)\n`);
          }
          return 0;
        }
        case 'revoke-exception': {
          const e = unwrap(triage.revokeException(actor, idOf(positionals[0])));
          ctx.stdout(`exception #${e.id} revoked\n`);
          return 0;
        }
        default: {
          const text = positionals.slice(1).join(' ');
          const n = unwrap(triage.addNote(actor, idOf(positionals[0]), text));
          ctx.stdout(values.json ? `${JSON.stringify(n)}\n` : `note #${n.id} added to alert #${n.alertId}\n`);
          return 0;
        }
      }
    } finally {
      store.close();
    }
  },
};
