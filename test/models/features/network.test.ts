import { describe, expect, it } from 'vitest';
import type { Event } from '../../../common/events.js';
import { explainRow, FeatureBatch, FeatureExtractor, NETWORK_LAYOUT, NETWORK_WIDTH } from '../../../models/features/index.js';
import { connect, dns, exit, rng, T0 } from './helpers.js';

const N = NETWORK_LAYOUT.index;
const OPTS = { sketch: { width: 1 << 14, depth: 4 }, windowMs: 15 * 60_000 };

function windows(events: readonly Event[], o = OPTS) {
  const x = new FeatureExtractor(o);
  const out = new FeatureBatch(16);
  x.extract('beaumont', 'ws1', events, out);
  x.drain(out);
  return { x, out };
}

/** 10 connections of pid 4242 to one peer, with the given gaps (ms). */
function series(gaps: number[], peer = '203.0.113.7'): Event[] {
  let t = T0;
  return [connect(4242, T0 - 1000, t, peer), ...gaps.map((g) => connect(4242, T0 - 1000, (t += g), peer))];
}

describe('network rows', () => {
  it('10 connections every 60 s +- 1 s to one peer: high beaconing regularity, explained', () => {
    const r = rng(1);
    const { out } = windows(series(Array.from({ length: 9 }, () => 60_000 + (r() * 2 - 1) * 1000)));
    expect(out.network.count).toBe(1);
    const row = out.network.row(0);
    const ctx = out.networkContexts[0]!;
    expect(row[N.beacon_regularity]!).toBeGreaterThan(0.9);
    expect(row[N.top_peer_share]).toBe(1);
    expect(row[N.public_peer_fraction]).toBe(1);
    expect(ctx.topPeer).toBe('203.0.113.7');
    expect(ctx.topPeerConnections).toBe(10);
    expect(Math.round(ctx.meanIntervalMs / 1000)).toBe(60);
    expect(ctx.closedBy).toBe('drain');
    const contributions = new Float32Array(NETWORK_WIDTH);
    contributions[N.beacon_regularity] = 3;
    contributions[N.rare_destination_tenant] = 2;
    const why = explainRow(NETWORK_LAYOUT, row, contributions, ctx);
    expect(why[0]!.text).toBe('rundll32.exe contacted 203.0.113.7 10 times at regular intervals of about 60 s (beaconing)');
    expect(why[1]!.text).toBe('destination 203.0.113.7 never seen before in this tenant');
  });

  it('random intervals: low regularity', () => {
    const r = rng(2);
    const { out } = windows(series(Array.from({ length: 9 }, () => -Math.log(1 - r()) * 60_000)));
    expect(out.network.row(0)[N.beacon_regularity]!).toBeLessThan(0.2);
    const few = windows(series([60_000, 60_000])).out; // 3 connections: too few to call it regular
    expect(few.network.row(0)[N.beacon_regularity]).toBe(0);
  });

  it('closes a window on time, on exit, and sweeps expired ones after each call', () => {
    const x = new FeatureExtractor({ ...OPTS, windowMs: 60_000 });
    const out = new FeatureBatch(16);
    const events = [
      connect(1, 0, T0, '10.0.0.1', 445),
      connect(1, 0, T0 + 10_000, '10.0.0.2', 445),
      connect(2, 0, T0 + 20_000, '10.0.0.3', 80),
      connect(1, 0, T0 + 70_000, '10.0.0.1', 445), // closes pid 1's first window (time)
      exit(2, 0, T0 + 75_000), // closes pid 2's window (exit)
    ];
    x.extract('t', 'h', events, out);
    expect(out.networkContexts.map((c) => [c.processKey, c.closedBy, c.connections])).toEqual([['1:0', 'time', 2], ['2:0', 'exit', 1]]);
    expect(Array.from(out.network.eventIndex.subarray(0, 2))).toEqual([3, 4]);
    out.clear();
    x.extract('t', 'h', [connect(3, 0, T0 + 200_000, '10.0.0.9', 22)], out); // host clock passes pid 1's window
    expect(out.networkContexts.map((c) => [c.processKey, c.closedBy])).toEqual([['1:0', 'time']]);
    expect(out.network.eventIndex[0]).toBe(-1);
    expect(x.counters().openWindows).toBe(1);
  });

  it('counts peers, ports and DNS, and bounds windows per host without losing them', () => {
    const events: Event[] = [];
    for (let i = 0; i < 40; i++) events.push(connect(7, 0, T0 + i * 100, `10.0.1.${i}`, 1000 + i));
    for (let i = 0; i < 8; i++) events.push(dns(7, 0, T0 + 5000 + i, `x${i}kq3zv9w2lp7rt5y.badexample.net`, 3));
    const { out } = windows(events);
    const row = out.network.row(0);
    expect(row[N.distinct_peers]).toBeCloseTo(Math.log2(41) / 7, 5);
    expect(row[N.distinct_ports]).toBeCloseTo(Math.log2(41) / 7, 5);
    expect(row[N.peer_ratio]).toBe(1);
    expect(row[N.public_peer_fraction]).toBe(0);
    expect(row[N.dns_failure_fraction]).toBe(1);
    expect(row[N.dns_label_entropy]!).toBeGreaterThan(0.75);
    expect(out.networkContexts[0]!.rarestDomain).toBe('badexample.net');
    for (const v of row) expect(Number.isFinite(v)).toBe(true);

    const x = new FeatureExtractor({ ...OPTS, maxWindowsPerHost: 2 });
    const small = new FeatureBatch(4);
    x.extract('t', 'h', [connect(1, 0, T0, '10.0.0.1'), connect(2, 0, T0, '10.0.0.1'), connect(3, 0, T0, '10.0.0.1')], small);
    expect(small.networkContexts.map((c) => [c.processKey, c.closedBy])).toEqual([['1:0', 'evicted']]);
    expect(x.counters().evictedWindows).toBe(1);
  });

  it('a destination seen many times is not rare; a new one is', () => {
    const events: Event[] = [];
    for (let i = 0; i < 200; i++) events.push(connect(100 + i, 0, T0 + i, '10.0.0.53', 443, 'C:\\Program Files\\App\\app.exe'));
    events.push(connect(999, 0, T0 + 500, '10.0.0.53', 443, 'C:\\Program Files\\App\\app.exe'));
    events.push(connect(998, 0, T0 + 600, '198.51.100.66', 8443, 'C:\\Program Files\\App\\app.exe'));
    const { out } = windows(events);
    const ctx = out.networkContexts;
    const seen = out.network.row(ctx.findIndex((c) => c.processKey === '999:0'));
    const fresh = out.network.row(ctx.findIndex((c) => c.processKey === '998:0'));
    expect(seen[N.rare_destination_tenant]!).toBeLessThan(0.3);
    expect(seen[N.new_destination_fraction]).toBe(0);
    expect(fresh[N.rare_destination_tenant]).toBe(1);
    expect(fresh[N.new_destination_fraction]).toBe(1);
    expect(fresh[N.rare_port_tenant]).toBe(1);
  });
});
