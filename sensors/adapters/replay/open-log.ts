/**
 * The one module of the replay that touches the file system: opens a recorded log, tells gzip from
 * plain text by its magic bytes (never by its name), tells JSON lines from a JSON array by its first
 * non-blank character, and streams record texts through a framer. Memory stays bounded by the read
 * buffer and the longest record, whatever the file's size.
 */
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import type { Result } from '../../../common/errors.js';
import { fail, ok } from '../../../common/errors.js';
import type { Frame, Framer } from './framing.js';
import { DEFAULT_MAX_RECORD_CHARS, createArrayFramer, createLineFramer } from './framing.js';

export type LogFormat = 'jsonl' | 'json-array';

/** A frame, or the read failing part-way (corrupt or truncated gzip, I/O error): the last item. */
export type LogItem = Frame | { line: number; ioError: string };

export interface OpenedLog {
  readonly file: string;
  readonly gzip: boolean;
  /** Known once the first non-blank character has been read; "jsonl" for an empty file. */
  format(): LogFormat;
  /** Bytes read from the file so far (compressed bytes for gzip). */
  bytesRead(): number;
  /** The record texts, in file order. Single use. Breaking out of the loop closes the file. */
  items(): AsyncGenerator<LogItem>;
}

export interface OpenLogOptions {
  maxRecordChars?: number;
  /** Read buffer size in bytes. Default 64 KiB. */
  highWaterMark?: number;
}

const GZIP_MAGIC_0 = 0x1f;
const GZIP_MAGIC_1 = 0x8b;

/** Opens `file` and sniffs its compression. Fails with VIGIE_REPLAY_IO when it cannot be read. */
export async function openLog(file: string, options: OpenLogOptions = {}): Promise<Result<OpenedLog>> {
  let gzip: boolean;
  try {
    const fh = await open(file, 'r');
    try {
      const head = Buffer.alloc(2);
      const { bytesRead } = await fh.read(head, 0, 2, 0);
      gzip = bytesRead === 2 && head[0] === GZIP_MAGIC_0 && head[1] === GZIP_MAGIC_1;
    } finally {
      await fh.close();
    }
  } catch (err) {
    return fail('VIGIE_REPLAY_IO', `cannot open recorded log: ${(err as Error).message}`, { file });
  }
  return ok(new LogReader(file, gzip, options));
}

function firstNonBlank(s: string): string | undefined {
  const m = /[^\s\ufeff]/.exec(s);
  return m?.[0];
}

class LogReader implements OpenedLog {
  private detected: LogFormat | undefined;
  private bytes = 0;
  private used = false;

  constructor(
    readonly file: string,
    readonly gzip: boolean,
    private readonly options: OpenLogOptions,
  ) {}

  format(): LogFormat {
    return this.detected ?? 'jsonl';
  }

  bytesRead(): number {
    return this.bytes;
  }

  async *items(): AsyncGenerator<LogItem> {
    if (this.used) throw new Error('OpenedLog.items() is single use'); // a bug, not an input problem
    this.used = true;
    const max = this.options.maxRecordChars ?? DEFAULT_MAX_RECORD_CHARS;
    const raw = createReadStream(this.file, { highWaterMark: this.options.highWaterMark ?? 64 * 1024 });
    raw.on('data', (chunk) => {
      this.bytes += chunk.length;
    });
    let text: Readable = raw;
    if (this.gzip) {
      const gunzip = createGunzip();
      raw.on('error', (err) => gunzip.destroy(err));
      text = raw.pipe(gunzip);
    }
    text.setEncoding('utf8');

    let framer: Framer | undefined;
    let leadingNewlines = ''; // blank chunks before the first record: only their line count matters
    let line = 1;
    try {
      for await (const chunk of text as AsyncIterable<string>) {
        let input = chunk;
        if (!framer) {
          const c = firstNonBlank(chunk);
          if (c === undefined) {
            leadingNewlines += chunk.replace(/[^\n]/g, '');
            continue;
          }
          this.detected = c === '[' ? 'json-array' : 'jsonl';
          framer = this.detected === 'json-array' ? createArrayFramer(max) : createLineFramer(max);
          input = leadingNewlines + chunk;
        }
        for (const frame of framer.push(input)) {
          line = frame.line;
          yield frame;
        }
      }
      if (framer) yield* framer.end();
    } catch (err) {
      const e = err as NodeJS.ErrnoException;
      yield { line, ioError: `${this.gzip ? 'gzip stream' : 'read'} failed: ${e.code ? `${e.code} ` : ''}${e.message}` };
    } finally {
      raw.destroy();
      if (text !== raw) text.destroy();
    }
  }
}
