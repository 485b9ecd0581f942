import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { encodeEvents } from '../../../common/wire/frames.js';
import { readArchiveEvents } from '../../../models/dataset/archive-events.js';
import { meta, openArchive, payload } from '../../engine/archive/helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'vigie-archive-events-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const start = (pid: number, image: string) => ({
  timeMs: 1_700_000_000_000 + pid, host: 'ws-1', processStart: { process: { pid, startTimeMs: pid }, parent: { pid: 1, startTimeMs: 1 }, image },
});

describe('readArchiveEvents', () => {
  it("reads the archive's batches in order, with each event's sensor and the sensor's tenant; an undecodable batch is counted", async () => {
    const archive = await openArchive({ dir: join(dir, 'a') });
    await archive.append(meta('ws-1', 1, { tenant: 'town-a' }), encodeEvents([start(10, 'C:\\a.exe'), start(11, 'C:\\b.exe')]));
    await archive.append(meta('ws-1', 2, { tenant: 'town-a' }), payload('ws-1', 2, 64)); // not a protobuf batch
    await archive.append(meta('ws-2', 1, { tenant: 'town-b' }), encodeEvents([start(12, 'C:\\c.exe'), { timeMs: 5, host: 'ws-2' }]));
    await archive.close();

    const r = await readArchiveEvents(join(dir, 'a'));
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value.events.map((e) => e.processStart?.image)).toEqual(['C:\\a.exe', 'C:\\b.exe', 'C:\\c.exe']);
    expect(r.value.groups).toEqual(['ws-1', 'ws-1', 'ws-2']);
    expect(r.value.tenants).toEqual(['town-a', 'town-a', 'town-b']);
    expect(r.value.skipped).toBe(1);
    expect(r.value.malformed).toBe(1);
    expect(r.value.problems[0]).toMatchObject({ code: 'VIGIE_DECODE_FAILED', location: { sensor: 'ws-1' } });
  });

  it('refuses an empty archive with a typed error', async () => {
    const archive = await openArchive({ dir: join(dir, 'empty') });
    await archive.close();
    expect(await readArchiveEvents(join(dir, 'empty'))).toMatchObject({ ok: false, error: { code: 'VIGIE_DATA_INVALID' } });
  });
});
