import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../../common/log.js';
import { world, type World } from './setup.js';

describe('API structured logs', () => {
  const lines: Record<string, unknown>[] = [];
  let w: World;
  beforeAll(async () => { w = await world([], createLogger({ level: 'info', write: (l) => lines.push(JSON.parse(l) as Record<string, unknown>) })); });
  afterAll(async () => { await w.close(); });

  it('writes one JSON line per change and per refusal, with the route pattern, status, time and user', async () => {
    await w.call(w.tokens.ana, 'POST', `/api/alerts/${w.beau.alert}/ack`, {});
    await w.call(w.tokens.rel, 'GET', '/api/alerts');
    await w.call(w.tokens.ana, 'GET', '/api/alerts'); // reads are debug: not at info
    const http = lines.filter((l) => l['msg'] === 'http');
    expect(http.map((l) => [l['method'], l['route'], l['status'], l['user']])).toEqual([
      ['POST', '/api/alerts/:id/ack', 200, 'ana'], ['GET', '/api/alerts', 403, 'rel'],
    ]);
    expect(typeof http[0]!['ms']).toBe('number');
    expect(typeof http[0]!['time']).toBe('string');
  });
});
