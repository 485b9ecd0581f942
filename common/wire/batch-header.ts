/**
 * Reads a TelemetryBatch's header fields and counts its events without decoding them: what
 * ingest needs to deduplicate, archive and ack. Events are length-delimited (field 8) and are
 * skipped, with bounds checked, so a truncated frame is still refused here. Full decoding
 * happens after the batch is durable, in the stage runner, so decoded events live briefly.
 */
import $protobuf from 'protobufjs/minimal.js';
import { fail, ok, type Result } from '../errors.js';
import { asBuffer } from './frames.js';

export interface BatchHeader {
  sensorId: string;
  tenant: string;
  seq: number;
  firstUnackedSeq: number;
  sensorVersion: string;
  contentVersion: string;
  createdMs: number;
  events: number;
}

const WIRE_VARINT = 0;
const WIRE_LEN = 2;

export function decodeBatchHeader(payload: Uint8Array): Result<BatchHeader> {
  const r = $protobuf.Reader.create(asBuffer(payload));
  const h: BatchHeader = { sensorId: '', tenant: '', seq: 0, firstUnackedSeq: 0, sensorVersion: '', contentVersion: '', createdMs: 0, events: 0 };
  try {
    while (r.pos < r.len) {
      const tag = r.uint32();
      const field = tag >>> 3;
      const wire = tag & 7;
      switch (field) {
        case 1: h.sensorId = expect(wire, WIRE_LEN, field) && r.string(); break;
        case 2: h.tenant = expect(wire, WIRE_LEN, field) && r.string(); break;
        case 3: h.seq = expect(wire, WIRE_VARINT, field) && Number(r.uint64()); break;
        case 4: h.firstUnackedSeq = expect(wire, WIRE_VARINT, field) && Number(r.uint64()); break;
        case 5: h.sensorVersion = expect(wire, WIRE_LEN, field) && r.string(); break;
        case 6: h.contentVersion = expect(wire, WIRE_LEN, field) && r.string(); break;
        case 7: h.createdMs = expect(wire, WIRE_VARINT, field) && Number(r.uint64()); break;
        case 8: {
          expect(wire, WIRE_LEN, field);
          const len = r.uint32();
          if (r.pos + len > r.len) throw new RangeError(`event ${h.events} runs past the end (${r.pos + len} > ${r.len})`);
          r.pos += len;
          h.events++;
          break;
        }
        default:
          r.skipType(wire); // a field added later: skipped, as protobuf requires
      }
    }
  } catch (e) {
    return fail('VIGIE_DECODE_FAILED', `TelemetryBatch: ${(e as Error).message}`, { offset: r.pos });
  }
  return ok(h);
}

function expect(wire: number, want: number, field: number): true {
  if (wire !== want) throw new TypeError(`field ${field} has wire type ${wire}, expected ${want}`);
  return true;
}
