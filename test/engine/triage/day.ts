/**
 * One simulated working day through the engine's real stages, in process: the behaviour
 * generator's events for a fleet, Vigie's default signature pack matched on them (as sensors do),
 * the enrich and signature-hits stages, and AlertGrouper. Returns the queue.
 */
import { unwrap } from '../../../common/errors.js';
import type { Event } from '../../../common/events.js';
import type { Detection } from '../../../engine/detect/detection.js';
import { SignatureHitStage } from '../../../engine/detect/signature-hits.js';
import { EnrichStage } from '../../../engine/enrich/enrich.js';
import type { IngestedBatch } from '../../../engine/pipeline/stage.js';
import { ALL_TENANTS, type AlertRecord, type SqliteStore } from '../../../engine/store/index.js';
import { AlertGrouper } from '../../../engine/triage/index.js';
import { ScoreStage } from '../../../engine/score/score-stage.js';
import { resolveModelSource } from '../../../engine/score/model-source.js';
import { silentLogger } from '../../../common/log.js';
import type { vigie } from '../../../proto/gen/vigie.js';
import { createBehaviour, createFleet, DEFAULT_FLEET_START_MS, type VirtualHost } from '../../../sensors/simulate/behaviour/index.js';
import { buildRuleSet } from '../../../signatures/match/index.js';
import { defaultPack } from '../../../signatures/pack/index.js';

export interface DayOptions { hosts: number; fromHour: number; toHour: number; scenarios: { name: string; hour: number }[]; models?: boolean }

export async function simulateDay(store: SqliteStore, o: DayOptions): Promise<{ events: number; detections: number; alerts: AlertRecord[]; attackHosts: Map<string, string> }> {
  const pack = defaultPack(DEFAULT_FLEET_START_MS);
  const built = buildRuleSet(pack.rules);
  if (!built.ok) throw new Error('default pack did not build');
  const ruleSet = built.value;
  const fleet = createFleet({ hosts: o.hosts, seed: 7 });
  const behaviour = createBehaviour({ fleet });
  const day = DEFAULT_FLEET_START_MS; // Monday
  const attackHosts = new Map<string, string>();
  const workstations = fleet.filter((h) => h.role === 'workstation');
  o.scenarios.forEach((s, i) => {
    const host = workstations[(i * 37) % workstations.length]!;
    unwrap(behaviour.scheduleScenario(s.name, { atMs: day + s.hour * 3_600_000, host }));
    attackHosts.set(host.name, s.name);
  });
  const grouper = new AlertGrouper(store, { windowMs: 30 * 60_000 });
  const pending: Detection[] = [];
  const enrich = new EnrichStage({ maxHosts: o.hosts * 2, maxPerHost: 4096 });
  const hitsStage = new SignatureHitStage(enrich.table, { add: (d) => { pending.push(...d); } });
  const score = o.models ? new ScoreStage({
    processModel: resolveModelSource('default', 'process', silentLogger), networkModel: resolveModelSource('default', 'network', silentLogger),
    maxRows: 4096, maxDelayMs: 5, lineageDecay: -1, warmupEvents: 20_000,
  }, enrich.table, { add: (d) => { pending.push(...d); } }, silentLogger) : undefined;
  await score?.start();
  let events = 0;
  let detections = 0;
  const seqs = new Map<string, number>();
  const batchOf = (h: VirtualHost, list: Event[]): IngestedBatch => {
    const seq = (seqs.get(h.sensorId) ?? 0) + 1;
    seqs.set(h.sensorId, seq);
    const hits = ruleSet.match(list).map((x) => {
      const r = ruleSet.rules[x.rule]!;
      return { ruleId: r.id, eventIndex: x.event, title: r.title, level: r.level, tags: r.tags, packVersion: pack.version };
    });
    return { sensorId: h.sensorId, tenant: h.tenant, seq, receivedMs: 0, batch: { sensorId: h.sensorId, tenant: h.tenant, seq, events: list, hits } as unknown as vigie.v1.TelemetryBatch };
  };
  const from = day + o.fromHour * 3_600_000;
  const streams = fleet.map((h) => ({ h, s: behaviour.stream(h, from) }));
  for (const { h } of streams) {
    const snap = behaviour.snapshot(h, from);
    enrich.process([batchOf(h, snap)]);
  }
  for (let t = from + 600_000; t <= day + o.toHour * 3_600_000; t += 600_000) {
    const batches: IngestedBatch[] = [];
    for (const { h, s } of streams) {
      const list = s.take(t);
      if (list.length === 0) continue;
      events += list.length;
      batches.push(batchOf(h, list));
    }
    enrich.process(batches);
    hitsStage.process(batches);
    await score?.process(batches);
    await score?.flush();
    detections += pending.length;
    grouper.ingest(pending.splice(0));
  }
  await score?.close();
  return { events, detections, alerts: store.alerts.list(ALL_TENANTS, { limit: 10_000 }), attackHosts };
}
