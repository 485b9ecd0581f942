/**
 * ZAP (ZeroMQ RFC 27) handler: decides, at each CURVE handshake, whether a client key may connect.
 * Only enrolled, non-revoked sensor keys are admitted. Bound on the engine's own ZeroMQ context,
 * so several engines (tests) can live in one process.
 */
import * as zmq from 'zeromq';
import { z85Encode } from '../../common/z85.js';
import type { Logger } from '../../common/log.js';
import type { ErrorCode } from '../../common/errors.js';

export interface KeyDirectory {
  /** The enrolled sensor for a key, if any, and whether it is revoked. */
  lookup(publicKey: string): { sensorId: string; revoked: boolean } | undefined;
}

export interface AuthCounters {
  admitted: number;
  refused: Partial<Record<ErrorCode, number>>;
}

const ZAP_ENDPOINT = 'inproc://zeromq.zap.01';

export class ZapHandler {
  readonly counters: AuthCounters = { admitted: 0, refused: {} };
  private readonly socket: zmq.Reply;
  private loop: Promise<void> | undefined;

  constructor(context: zmq.Context, private readonly keys: KeyDirectory, private readonly log: Logger) {
    this.socket = new zmq.Reply({ context, linger: 0 });
  }

  async start(): Promise<void> {
    await this.socket.bind(ZAP_ENDPOINT);
    this.loop = this.run();
  }

  private async run(): Promise<void> {
    try {
      for await (const frames of this.socket) {
        await this.socket.send(this.answer(frames));
      }
    } catch (e) {
      if (!this.socket.closed) this.log.error('zap handler stopped', { error: e });
    }
  }

  private answer(frames: Buffer[]): string[] | (string | Buffer)[] {
    const [version, requestId, , address, , mechanism, credentials] = frames;
    const reply = (status: string, text: string, userId = ''): (string | Buffer)[] =>
      ['1.0', requestId ?? Buffer.alloc(0), status, text, userId, Buffer.alloc(0)];
    if (version?.toString() !== '1.0' || mechanism?.toString() !== 'CURVE' || !credentials || credentials.length !== 32) {
      return reply('400', 'CURVE required');
    }
    const key = z85Encode(credentials);
    const entry = this.keys.lookup(key);
    const refuse = (code: ErrorCode, text: string) => {
      this.counters.refused[code] = (this.counters.refused[code] ?? 0) + 1;
      this.log.warn('sensor refused', { code, key, address: address?.toString() });
      return reply('400', text);
    };
    if (!entry) return refuse('VIGIE_AUTH_UNENROLLED', 'key not enrolled');
    if (entry.revoked) return refuse('VIGIE_AUTH_REVOKED', 'key revoked');
    this.counters.admitted++;
    return reply('200', 'OK', entry.sensorId);
  }

  async stop(): Promise<void> {
    this.socket.close();
    await this.loop;
  }
}
