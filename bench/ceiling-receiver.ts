/**
 * The ingest benchmark's ceiling: a bare ROUTER (same CURVE encryption as the engine, no ZAP,
 * no archive, no ack) that only receives and decodes frames, counting events. Run as a child
 * process so it has its own core, like the engine. Prints "ready {address}", then "done {json}"
 * with its counts and the time between the first and the last frame once it has decoded the
 * expected number of events, and exits.
 */
import * as zmq from 'zeromq';
import { decodeBatch } from '../common/wire/frames.js';

const [secretKey, expectedArg, warmupArg = '0', endpoint = 'tcp://127.0.0.1:0'] = process.argv.slice(2);
const expected = Number(expectedArg);
// The first `warmup` events are not timed (JIT warm-up, as for the end-to-end run).
const warmup = Number(warmupArg);
const router = new zmq.Router({ curveServer: true, curveSecretKey: secretKey!, linger: 0 });
await router.bind(endpoint);
process.stdout.write(`ready ${JSON.stringify({ address: router.lastEndpoint })}\n`);

let events = 0;
let frames = 0;
let firstNs = 0n;
let eventsAtStart = 0;
let lastNs = 0n;
try {
  for await (const msg of router) {
    const r = decodeBatch(msg[2]!);
    if (!r.ok) continue;
    if (frames === 0 || events < warmup) {
      firstNs = process.hrtime.bigint();
      eventsAtStart = events;
    }
    frames++;
    events += r.value.events.length;
    lastNs = process.hrtime.bigint();
    if (events >= expected) break;
  }
} catch {
  // closed
}
const seconds = Number(lastNs - firstNs) / 1e9;
process.stdout.write(`done ${JSON.stringify({ events, timed: events - eventsAtStart, frames, seconds })}\n`);
router.close();
