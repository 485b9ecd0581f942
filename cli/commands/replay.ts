import { parseArgs } from 'node:util';
import { unwrap } from '../../common/errors.js';
import { createLogger } from '../../common/log.js';
import { parseConfig } from '../../common/config/schema.js';
import { groupByHost, listReplayHosts, readReplay } from '../../sensors/adapters/replay/index.js';
import { sensorConfigSchema } from '../../sensors/agent/config.js';
import { VirtualFleet, type VirtualHostSpec } from '../../sensors/fleet/virtual-fleet.js';
import type { Command } from '../command.js';
import { engineTarget, enrollLocal } from '../fleet-setup.js';
import { buildRuleSet, type RuleSet } from '../../signatures/match/index.js';
import { HitTally, type TallyReport } from '../../signatures/tally.js';
import { VigieError } from '../../common/errors.js';
import { packFromOption, startSignatures } from '../signature-setup.js';
import { StatusLine } from '../status-line.js';

function unwrapRuleSet(built: ReturnType<typeof buildRuleSet>): RuleSet {
  if (built.ok) return built.value;
  throw new VigieError('VIGIE_PACK_INVALID', built.problems.map((p) => p.message).join('; '));
}

function formatSignatureReport(r: TallyReport & { pack: string }): string {
  const lines = [`signatures (${r.pack}): ${r.hits} hits on ${r.events_with_hits} of ${r.events} events`];
  for (const rule of r.rules) lines.push(`  ${String(rule.hits).padStart(7)}  ${rule.level.padEnd(13)} ${rule.title} (${rule.id})`);
  if (r.labelled) lines.push(`  recall ${((r.recall ?? 0) * 100).toFixed(1)}% of ${r.malicious_events} attack events; false positives ${((r.false_positive_rate ?? 0) * 100).toFixed(2)}% of ${r.benign_events} other events`);
  return `${lines.join('\n')}\n`;
}

export const command: Command = {
  summary: 'Stream a recorded Sysmon JSON log (JSONL or JSON array, gzip or not) as if from live sensors, one per host',
  usage: 'vigie replay FILE [--var DIR] [--endpoint E | --embedded-engine] [--tenant T] [--rules PACK.json|default] [--json]',
  async run(ctx) {
    const { values, positionals } = parseArgs({
      args: ctx.argv, allowPositionals: true,
      options: { var: { type: 'string', default: './var' }, endpoint: { type: 'string' }, 'embedded-engine': { type: 'boolean' }, tenant: { type: 'string', default: 'replay' }, json: { type: 'boolean' }, rules: { type: 'string' } },
    });
    const file = positionals[0];
    if (!file) {
      ctx.stderr(`usage: ${this.usage}\n`);
      return 2;
    }
    const log = createLogger({ level: 'warn', base: { component: 'replay' } });
    const listing = await listReplayHosts(file);
    const hosts: VirtualHostSpec[] = listing.hosts.map((h) => ({ host: h.host, tenant: values.tenant!, sensorId: `replay-${h.host}`.replace(/[^A-Za-z0-9._-]/g, '-').slice(0, 120) }));
    ctx.stderr(`replay: ${listing.hosts.length} hosts, ${listing.hosts.reduce((n, h) => n + h.events, 0)} events in ${file}\n`);
    const target = await engineTarget(values.var!, values.endpoint, values['embedded-engine'] ?? false, log);
    const config = unwrap(parseConfig(sensorConfigSchema, { heartbeatMs: 1000 }, 'replay'));
    // With --rules, the sensors match the pack at the edge (detections reach the engine) and the
    // same rules run here too, on the same events, for the report: hits per rule, recall, FP rate.
    const pack = values.rules === undefined ? undefined : packFromOption(values.rules === 'default' ? undefined : values.rules);
    const local = pack ? unwrapRuleSet(buildRuleSet(pack.rules)) : undefined;
    const tally = pack ? new HitTally(pack.rules) : undefined;
    const signatures = pack ? await startSignatures(values.rules === 'default' ? undefined : values.rules, config, log) : undefined;
    const fleet = new VirtualFleet({ varDir: values.var!, hosts, engineEndpoint: target.endpoint, enginePublicKey: target.publicKey, config, keySeed: `replay:${file}`, log, ...(signatures ? { signatures } : {}) });
    enrollLocal(values.var!, fleet.identities, target.embedded);
    await fleet.start();
    let events = 0;
    const status = new StatusLine(() => {
      const t = fleet.totals();
      return `replay | read ${events} ev | acked ${t.ackedEvents} | spool ${t.unackedEvents} ev | dropped ${t.droppedEvents}`;
    }, process.stderr, 5000);
    status.start();
    let stopped = false;
    void ctx.stopSignal.then(() => { stopped = true; });
    const reader = readReplay(file);
    for await (const chunk of reader) {
      for (const group of groupByHost(chunk.events)) fleet.agentForHost(group[0]!.host ?? '')?.ingest(group);
      events += chunk.events.length;
      if (local && tally) tally.add(chunk.events, local.match(chunk.events));
      // Do not outrun the engine: spools absorb outages, not a whole file read at disk speed.
      while (!stopped && fleet.totals().unackedBatches > hosts.length * 8) await new Promise((r) => setTimeout(r, 20));
      if (stopped) break;
    }
    fleet.flush();
    const deadline = Date.now() + 60_000;
    while (!stopped && fleet.totals().unackedBatches > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    status.stop();
    const t = fleet.totals();
    await fleet.stop();
    await signatures?.close();
    await target.embedded?.stop();
    const signatureReport = tally ? { pack: `${pack!.name} ${pack!.version}`, ...tally.report() } : undefined;
    const summary = { file, hosts: hosts.length, events_read: events, events_acked: t.ackedEvents, events_spooled: t.unackedEvents, events_dropped: t.droppedEvents, problems: reader.stats.problems, ...(signatureReport ? { signatures: signatureReport } : {}) };
    ctx.stdout((values.json ? JSON.stringify(summary) : `replayed ${events} events from ${hosts.length} hosts: ${t.ackedEvents} acked, ${t.unackedEvents} still spooled, ${t.droppedEvents} dropped`) + '\n');
    if (signatureReport && !values.json) ctx.stdout(formatSignatureReport(signatureReport));
    return t.unackedEvents === 0 ? 0 : 1;
  },
};
