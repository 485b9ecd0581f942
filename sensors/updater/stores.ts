/**
 * Where the updater keeps its state. The file store writes a temp file, syncs it and renames it
 * over the old one, so a crash leaves either the old state or the new, never half of one. The
 * memory store is for the fleet simulation and tests: it copies on save, as a disk would, so a
 * "crashed" updater's unsaved changes are lost just as they would be.
 */
import { closeSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { fail, type VigieProblem } from '../../common/errors.js';
import { parseState, type UpdaterState } from './state.js';
import type { UpdaterStore } from './types.js';

export class MemoryUpdaterStore implements UpdaterStore {
  private saved: UpdaterState | undefined;
  saves = 0;

  load(): UpdaterState | undefined {
    return this.saved ? structuredClone(this.saved) : undefined;
  }

  save(s: UpdaterState): void {
    this.saved = structuredClone(s);
    this.saves++;
  }
}

export const UPDATER_STATE_FILE = 'updater-state.json';

export class FileUpdaterStore implements UpdaterStore {
  readonly file: string;
  /**
   * The last read or write problem. A state that cannot be read starts fresh (the sensor keeps
   * running); one that cannot be written leaves the previous file in place. Neither throws: the
   * agent reports it and detection goes on.
   */
  problem: VigieProblem | undefined;

  constructor(readonly dir: string) {
    this.file = join(dir, UPDATER_STATE_FILE);
  }

  load(): UpdaterState | undefined {
    let text: string;
    try {
      text = readFileSync(this.file, 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') this.problem = ioProblem(this.file, 'cannot read', e);
      return undefined;
    }
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (e) {
      this.problem = ioProblem(this.file, 'not JSON', e);
      return undefined;
    }
    const parsed = parseState(value, this.file);
    if (!parsed.ok) {
      this.problem = parsed.error;
      return undefined;
    }
    return parsed.value;
  }

  save(s: UpdaterState): void {
    const tmp = `${this.file}.tmp-${process.pid}`;
    try {
      mkdirSync(this.dir, { recursive: true });
      const fd = openSync(tmp, 'w');
      try {
        writeSync(fd, JSON.stringify(s));
        fsyncSync(fd);
      } finally {
        closeSync(fd);
      }
      renameSync(tmp, this.file);
    } catch (e) {
      this.problem = ioProblem(this.file, 'cannot write', e);
    }
  }
}

function ioProblem(file: string, what: string, e: unknown): VigieProblem {
  const r = fail('VIGIE_UPDATER_IO', `updater state ${what}: ${(e as Error).message}`, { file });
  if (r.ok) throw new Error('unreachable');
  return r.error;
}
