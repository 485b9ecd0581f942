/**
 * The sensor's connection to the engine: a DEALER socket with CURVE encryption, its routing id set
 * to the sensor id, reconnecting with exponential backoff (libzmq doubles the interval up to the
 * maximum). One send at a time (a zeromq.js rule); acks arrive on the receive loop.
 */
import * as zmq from 'zeromq';
import { decodeAck, FrameKind } from '../../common/wire/frames.js';
import type { vigie } from '../../proto/gen/vigie.js';

export interface TransportOptions {
  sensorId: string;
  endpoint: string;
  publicKey: string;
  secretKey: string;
  enginePublicKey: string;
  reconnectMinMs: number;
  reconnectMaxMs: number;
  sendTimeoutMs: number;
  context?: zmq.Context;
  onAck(ack: vigie.v1.Ack): void;
  /** A signed directive from the engine (payload of a FrameKind.Directive message). */
  onDirective?(payload: Buffer): void;
  /** A bundle the agent asked for (payload of a FrameKind.BundleData message). */
  onBundleData?(payload: Buffer): void;
}

export class Transport {
  private readonly socket: zmq.Dealer;
  private loop: Promise<void> | undefined;
  private watch: Promise<void> | undefined;
  private busy: Promise<unknown> = Promise.resolve();
  connected = false;
  authFailures = 0;
  badFrames = 0;

  constructor(private readonly o: TransportOptions) {
    this.socket = new zmq.Dealer({
      ...(o.context ? { context: o.context } : {}),
      routingId: o.sensorId,
      curveServerKey: o.enginePublicKey,
      curvePublicKey: o.publicKey,
      curveSecretKey: o.secretKey,
      linger: 0,
      immediate: true,
      reconnectInterval: o.reconnectMinMs,
      reconnectMaxInterval: o.reconnectMaxMs,
      sendTimeout: o.sendTimeoutMs,
      heartbeatInterval: 2000,
      heartbeatTimeout: 6000,
    });
  }

  start(): void {
    this.socket.connect(this.o.endpoint);
    this.loop = this.receive();
    this.watch = this.observe();
  }

  /** Sends one message; resolves false when it could not be queued in time (engine away). */
  send(frames: (Buffer | Uint8Array)[]): Promise<boolean> {
    const next = this.busy.then(async () => {
      if (this.socket.closed) return false;
      try {
        await this.socket.send(frames);
        return true;
      } catch {
        return false;
      }
    });
    this.busy = next;
    return next;
  }

  private async receive(): Promise<void> {
    try {
      for await (const frames of this.socket) {
        const kind = frames.length === 2 && frames[0]?.length === 1 ? frames[0][0] : undefined;
        if (kind === FrameKind.Ack) {
          const ack = decodeAck(frames[1]!);
          if (ack.ok) this.o.onAck(ack.value);
          else this.badFrames++;
        } else if (kind === FrameKind.Directive && this.o.onDirective) this.o.onDirective(frames[1]!);
        else if (kind === FrameKind.BundleData && this.o.onBundleData) this.o.onBundleData(frames[1]!);
        else this.badFrames++;
      }
    } catch {
      // closed
    }
  }

  private async observe(): Promise<void> {
    try {
      for await (const event of this.socket.events) {
        if (event.type === 'handshake') this.connected = true;
        else if (event.type === 'disconnect' || event.type === 'close') this.connected = false;
        else if (event.type === 'handshake:error:auth' || event.type === 'handshake:error:protocol') this.authFailures++;
      }
    } catch {
      // closed
    }
  }

  async close(): Promise<void> {
    this.socket.close();
    await Promise.allSettled([this.loop, this.watch, this.busy]);
  }
}
