/**
 * The wire between sensors (DEALER) and the engine (ROUTER): each message is two frames,
 * [kind (1 byte), protobuf payload]. The ROUTER sees a routing-id frame in front, which the
 * ZAP handler has tied to the sensor's enrolled key. Decoding is pure and never throws.
 */
import { vigie } from '../../proto/gen/vigie.js';
import { fail, ok, type Result } from '../errors.js';
import type { Ack, Event, Heartbeat, TelemetryBatch } from '../events.js';

export const FrameKind = {
  Batch: 0x01,
  Heartbeat: 0x02,
  /** Sensor -> engine: a bundle by payload sha256 (rollout-frames.ts). */
  BundleRequest: 0x03,
  Ack: 0x81,
  /** Engine -> sensor: the signed directive, in answer to a heartbeat whose serial is behind. */
  Directive: 0x82,
  /** Engine -> sensor: a requested bundle, or why it cannot be served. */
  BundleData: 0x83,
} as const;
export type FrameKind = (typeof FrameKind)[keyof typeof FrameKind];

const KIND_BATCH = Buffer.from([FrameKind.Batch]);
const KIND_HEARTBEAT = Buffer.from([FrameKind.Heartbeat]);
const KIND_ACK = Buffer.from([FrameKind.Ack]);

/** Default ceiling on one payload; bigger frames are rejected (VIGIE_FRAME_TOO_LARGE). */
export const DEFAULT_MAX_FRAME_BYTES = 16 * 1024 * 1024;

export function encodeBatch(batch: TelemetryBatch): Uint8Array {
  return vigie.v1.TelemetryBatch.encode(batch).finish();
}

/**
 * Encodes events as the `events` field of a TelemetryBatch. Protobuf messages concatenate, so a
 * batch header encoded alone followed by these bytes is a whole batch.
 */
export function encodeEvents(events: Event[]): Uint8Array {
  return vigie.v1.TelemetryBatch.encode({ events }).finish();
}

export function batchFrames(payload: Uint8Array): [Buffer, Uint8Array] {
  return [KIND_BATCH, payload];
}

export function heartbeatFrames(hb: Heartbeat): [Buffer, Uint8Array] {
  return [KIND_HEARTBEAT, vigie.v1.Heartbeat.encode(hb).finish()];
}

export function ackFrames(ack: Ack): [Buffer, Uint8Array] {
  return [KIND_ACK, vigie.v1.Ack.encode(ack).finish()];
}

/**
 * protobufjs reads strings through Buffer#utf8Slice only when given a Buffer; a plain Uint8Array
 * (what a worker thread receives) takes its JavaScript UTF-8 path, measured 2x slower overall.
 */
export function asBuffer(bytes: Uint8Array): Buffer {
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

export function decodeBatch(payload: Uint8Array): Result<vigie.v1.TelemetryBatch> {
  try {
    return ok(vigie.v1.TelemetryBatch.decode(asBuffer(payload)));
  } catch (e) {
    return fail('VIGIE_DECODE_FAILED', `TelemetryBatch: ${(e as Error).message}`, { offset: payload.length });
  }
}

export function decodeHeartbeat(payload: Uint8Array): Result<vigie.v1.Heartbeat> {
  try {
    return ok(vigie.v1.Heartbeat.decode(payload));
  } catch (e) {
    return fail('VIGIE_DECODE_FAILED', `Heartbeat: ${(e as Error).message}`);
  }
}

export function decodeAck(payload: Uint8Array): Result<vigie.v1.Ack> {
  try {
    return ok(vigie.v1.Ack.decode(payload));
  } catch (e) {
    return fail('VIGIE_DECODE_FAILED', `Ack: ${(e as Error).message}`);
  }
}

export interface SensorFrame {
  kind: typeof FrameKind.Batch | typeof FrameKind.Heartbeat | typeof FrameKind.BundleRequest;
  payload: Buffer;
}

/** Checks the shape of a message from a sensor (without the routing id) before any decoding. */
export function classifySensorFrames(frames: Buffer[], maxBytes: number): Result<SensorFrame> {
  if (frames.length !== 2) return fail('VIGIE_FRAME_GARBAGE', `expected 2 frames, got ${frames.length}`);
  const [kindFrame, payload] = frames as [Buffer, Buffer];
  if (kindFrame.length !== 1) return fail('VIGIE_FRAME_GARBAGE', `kind frame of ${kindFrame.length} bytes`);
  const kind = kindFrame[0];
  if (kind !== FrameKind.Batch && kind !== FrameKind.Heartbeat && kind !== FrameKind.BundleRequest) {
    return fail('VIGIE_FRAME_GARBAGE', `unknown frame kind 0x${(kind ?? 0).toString(16)}`);
  }
  if (payload.length > maxBytes) {
    return fail('VIGIE_FRAME_TOO_LARGE', `payload of ${payload.length} bytes exceeds ${maxBytes}`);
  }
  return ok({ kind, payload });
}
