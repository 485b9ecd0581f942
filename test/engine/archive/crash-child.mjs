// Child process of crash.test.ts: a sensor-shaped writer that the test SIGKILLs mid-stream.
// Plain JavaScript so it runs on bare `node`; it imports the archive compiled by the test.
// Usage: node crash-child.mjs <compiled engine/archive/index.js> <dir> <from seq>
// Prints "ready", then one "ack <sensor> <seq> <outcome> <crc32> <length>" line per resolved
// append. Writes to a pipe are synchronous on Linux: a printed ack is in the pipe before SIGKILL.
import { pathToFileURL } from 'node:url';
import { crc32 } from 'node:zlib';

const [modulePath, dir, fromArg] = process.argv.slice(2);
const { Archive } = await import(pathToFileURL(modulePath).href);
const opened = await Archive.open({ dir, segmentBytes: 512 * 1024, groupCommitMs: 1 });
if (!opened.ok) {
  process.stderr.write(`open failed: ${opened.error.code} ${opened.error.message}\n`);
  process.exit(2);
}
const archive = opened.value;
const from = Number(fromArg);
const SENSORS = ['alpha', 'beta'];
const IN_FLIGHT = 16;

/** Deterministic bytes per (sensor, seq), 8 to 40 KiB, partly compressible. */
function payloadFor(sensor, seq) {
  const size = 8192 + ((seq * 7919) % 32768);
  const out = Buffer.alloc(size);
  let x = (Math.imul(seq + 1, 2654435761) + sensor.length) >>> 0;
  for (let i = 0; i < size; i++) {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    out[i] = i % 4 === 0 ? x >>> 24 : 0x41 + (i % 17);
  }
  return out;
}

const state = new Map(SENSORS.map((s) => [s, { next: from, acked: new Set(), firstUnacked: from }]));

function send(sensor) {
  const st = state.get(sensor);
  const seq = st.next++;
  const payload = payloadFor(sensor, seq);
  const meta = { sensorId: sensor, tenant: 'town', seq, firstUnackedSeq: st.firstUnacked, events: 500, receivedMs: Date.now() };
  archive.append(meta, payload).then(
    ({ outcome }) => {
      process.stdout.write(`ack ${sensor} ${seq} ${outcome} ${crc32(payload)} ${payload.length}\n`);
      st.acked.add(seq);
      while (st.acked.has(st.firstUnacked)) st.acked.delete(st.firstUnacked++);
      send(sensor);
    },
    (err) => {
      process.stderr.write(`append failed: ${err}\n`);
      process.exit(3);
    },
  );
}

process.stdout.write('ready\n');
for (const s of SENSORS) for (let i = 0; i < IN_FLIGHT; i++) send(s);
