/**
 * The analysis feed on a real archive and a real stage runner: batches go to analysis as they
 * are archived while it has room; when it is full the feed reads the archive instead and catches
 * up; the analysed place survives a stop (and a crash, at its last checkpoint). Every archived
 * batch is analysed exactly once across a clean stop, in archive order.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../../common/log.js';
import { encodeEvents } from '../../../common/wire/frames.js';
import { AnalysisFeed } from '../../../engine/analysis/analysis-feed.js';
import { StageRunner } from '../../../engine/analysis/stage-runner.js';
import { after, comparePositions, type Archive } from '../../../engine/archive/index.js';
import type { BatchStage, IngestedBatch } from '../../../engine/pipeline/stage.js';
import { waitFor } from '../../helpers/fixtures.js';
import { meta, openArchive, tempDir } from '../archive/helpers.js';

/** A stage that records which batches it saw, and can be held shut. */
class Recorder implements BatchStage {
  readonly name = 'recorder';
  readonly seen: string[] = [];
  private gate: Promise<void> | undefined;
  private open: () => void = () => {};
  hold(): void {
    this.gate = new Promise((r) => { this.open = r; });
  }
  release(): void {
    this.gate = undefined;
    this.open();
  }
  async process(batches: readonly IngestedBatch[]): Promise<void> {
    if (this.gate) await this.gate;
    for (const b of batches) this.seen.push(`${b.sensorId}:${b.seq}:${b.batch.events.length}`);
  }
  counters(): Record<string, number> {
    return { seen: this.seen.length };
  }
}

let dir: string;
let cleanup: () => Promise<void>;
let archive: Archive;
const feeds: AnalysisFeed[] = [];

beforeEach(async () => {
  ({ dir, cleanup } = await tempDir());
  archive = await openArchive({ dir, groupCommitMs: 0 });
});
afterEach(async () => {
  for (const f of feeds.splice(0)) await f.stop();
  await archive.close();
  await cleanup();
});

function newFeed(recorder: Recorder, checkpointMs = 1000): { feed: AnalysisFeed; runner: StageRunner } {
  // highWater 4: the runner is full after four batches waiting.
  const runner = new StageRunner([recorder], silentLogger, 4, 10_000, 1);
  const feed = new AnalysisFeed(archive, runner, silentLogger, { checkpointMs });
  feeds.push(feed);
  return { feed, runner };
}

/** What ingest does: archive, then hand over with the record's place. */
async function ingest(feed: AnalysisFeed, sensor: string, seqs: number[]): Promise<void> {
  await Promise.all(seqs.map(async (seq) => {
    const payload = encodeEvents([{ timeMs: seq, host: sensor }, { timeMs: seq + 1, host: sensor }]);
    const r = await archive.append(meta(sensor, seq, { events: 2, receivedMs: Date.now() }), payload);
    if (r.outcome === 'stored') feed.stored({ sensorId: sensor, tenant: 'town-a', seq, receivedMs: Date.now(), payload }, r.at);
  }));
}

const keys = (sensor: string, seqs: number[]) => seqs.map((s) => `${sensor}:${s}:2`);
const range = (from: number, n: number) => [...Array(n).keys()].map((i) => i + from);

describe('AnalysisFeed', () => {
  it('passes batches on as they are archived while analysis has room', async () => {
    const rec = new Recorder();
    const { feed, runner } = newFeed(rec);
    await feed.start();
    for (const seq of range(0, 12)) await ingest(feed, 's1', [seq]);
    await runner.flush();
    expect(rec.seen).toEqual(keys('s1', range(0, 12)));
    expect(feed.counters()).toMatchObject({ behind: 0, live_batches: 12, replayed_batches: 0, lag_bytes: 0 });
  });

  it('falls behind when analysis is full, reads the archive, catches up exactly once, and goes live again', async () => {
    const rec = new Recorder();
    const { feed, runner } = newFeed(rec);
    await feed.start();
    rec.hold();
    await ingest(feed, 's1', range(0, 40)); // acked at archive speed: nothing waits for the held stage
    const held = feed.counters();
    expect(held.behind).toBe(1);
    expect(held.deferred_batches).toBeGreaterThan(0);
    expect(held.lag_bytes).toBeGreaterThan(0);
    rec.release();
    await waitFor(() => rec.seen.length >= 40 && feed.counters().behind === 0, 10_000, 'catch-up');
    await runner.flush();
    expect(rec.seen).toEqual(keys('s1', range(0, 40)));
    const c = feed.counters();
    expect(c).toMatchObject({ behind: 0, lag_bytes: 0, catchups: 1 });
    expect(c.live_batches + c.replayed_batches).toBe(40);
    expect(c.replayed_batches).toBeGreaterThan(0);
    // Live again: new batches go straight to analysis.
    await ingest(feed, 's1', [40, 41]);
    await runner.flush();
    expect(rec.seen).toEqual(keys('s1', range(0, 42)));
    expect(feed.counters().live_batches).toBe(c.live_batches + 2);
  });

  it('a stop while behind saves the place; the next start analyses the rest, none twice', async () => {
    const first = new Recorder();
    const a = newFeed(first);
    await a.feed.start();
    first.hold();
    await ingest(a.feed, 's1', range(0, 30));
    expect(a.feed.counters().behind).toBe(1);
    const stopped = a.feed.stop();
    first.release();
    await stopped;
    feeds.splice(0);
    expect(first.seen.length).toBeGreaterThan(0);
    expect(first.seen.length).toBeLessThan(30);

    const second = new Recorder();
    const b = newFeed(second);
    await b.feed.start();
    expect(b.feed.counters().catchups).toBe(1);
    await waitFor(() => first.seen.length + second.seen.length >= 30 && b.feed.counters().behind === 0, 10_000, 'resume');
    await b.runner.flush();
    expect([...first.seen, ...second.seen]).toEqual(keys('s1', range(0, 30)));
  });

  it('never checkpoints past a batch that is not analysed (a crash re-analyses, never skips)', async () => {
    const rec = new Recorder();
    const { feed, runner } = newFeed(rec, 10);
    await feed.start();
    rec.hold();
    const first = await archive.append(meta('s1', 0, { events: 2 }), encodeEvents([{ timeMs: 1, host: 's1' }, { timeMs: 2, host: 's1' }]));
    if (first.outcome !== 'stored') throw new Error('not stored');
    feed.stored({ sensorId: 's1', tenant: 'town-a', seq: 0, receivedMs: Date.now(), payload: encodeEvents([{ timeMs: 1, host: 's1' }, { timeMs: 2, host: 's1' }]) }, first.at);
    await ingest(feed, 's1', range(1, 9));
    await new Promise((r) => setTimeout(r, 60)); // several checkpoints while held
    expect(await archive.loadReaderPosition('analysis')).toEqual({ segment: first.at.segment, offset: first.at.offset });
    rec.release();
    await waitFor(() => rec.seen.length === 10, 10_000, 'processing');
    await runner.flush();
    await waitFor(async () => {
      const p = await archive.loadReaderPosition('analysis');
      return p !== undefined && !('code' in p) && comparePositions(p, archive.tail()) === 0;
    }, 5000, 'checkpoint at the tail');
    expect(comparePositions(archive.tail(), after(first.at))).toBeGreaterThan(0);
  });

  it('a first start (no saved place) begins at the end of the archive; a damaged place is reported, not fatal', async () => {
    await archive.append(meta('old', 1, { events: 2 }), encodeEvents([{ timeMs: 1, host: 'old' }]));
    const rec = new Recorder();
    const a = newFeed(rec);
    await a.feed.start();
    expect(a.feed.counters()).toMatchObject({ behind: 0, lag_bytes: 0, catchups: 0 });
    await a.feed.stop();
    feeds.splice(0);
    await writeFile(join(dir, 'reader-analysis.json'), 'garbage');
    const b = newFeed(rec);
    await b.feed.start();
    expect(b.feed.counters()).toMatchObject({ behind: 0, read_problems: 1 });
    await ingest(b.feed, 'new', [1]);
    await b.runner.flush();
    expect(rec.seen).toEqual(['new:1:2']);
  });
});
