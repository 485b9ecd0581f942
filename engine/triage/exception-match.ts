/**
 * Matching detections against exceptions, compiled once per change of the exception list (the
 * engine checks a version key per batch of detections, not per detection).
 * Patterns are globs (`*` any run, `?` one character), case-insensitive and anchored: a glob never
 * backtracks catastrophically, which a user-supplied regex could.
 */
import type { Detection } from '../detect/detection.js';
import type { ExceptionRecord } from '../store/index.js';

export function globToRegExp(glob: string): RegExp {
  const body = glob.split('').map((c) => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[.+^${}()|[\]\\]/g, '\\$&'))).join('');
  return new RegExp(`^${body.replace(/(\.\*)+/g, '.*')}$`, 'is');
}

/** The process a detection is about: image and command line, from its event or its ancestry. */
export function subjectOf(d: Detection): { image: string; commandLine: string } {
  const e = d.evidence.event as {
    processStart?: { image?: string; commandLine?: string }; network?: { image?: string; commandLine?: string }; dns?: { image?: string };
  };
  const first = d.evidence.ancestry[0];
  const image = e.processStart?.image ?? e.network?.image ?? e.dns?.image ?? first?.image ?? '';
  const commandLine = e.processStart?.commandLine ?? e.network?.commandLine ?? first?.commandLine ?? '';
  return { image, commandLine };
}

interface Compiled {
  record: ExceptionRecord;
  image: RegExp | undefined;
  commandLine: RegExp | undefined;
}

export class ExceptionMatcher {
  private readonly compiled: Compiled[];

  constructor(records: readonly ExceptionRecord[]) {
    this.compiled = records.map((record) => ({
      record,
      image: record.image ? globToRegExp(record.image) : undefined,
      commandLine: record.commandLine ? globToRegExp(record.commandLine) : undefined,
    }));
  }

  get size(): number {
    return this.compiled.length;
  }

  /** The first exception active at `nowMs` that covers the detection, if any. */
  match(d: Detection, nowMs: number): ExceptionRecord | undefined {
    let subject: { image: string; commandLine: string } | undefined;
    for (const c of this.compiled) {
      const r = c.record;
      if (r.revokedMs !== null || r.expiresMs <= nowMs) continue;
      if (r.tenant !== null && r.tenant !== d.tenant) continue;
      if (r.ruleId !== null && r.ruleId !== d.ruleId) continue;
      if (r.host !== null && r.host.toLowerCase() !== d.host.toLowerCase()) continue;
      if (c.image || c.commandLine) subject ??= subjectOf(d);
      if (c.image && !(c.image.test(subject!.image) || c.image.test(baseName(subject!.image)))) continue;
      if (c.commandLine && !c.commandLine.test(subject!.commandLine)) continue;
      return r;
    }
    return undefined;
  }
}

function baseName(path: string): string {
  return path.slice(Math.max(path.lastIndexOf('\\'), path.lastIndexOf('/')) + 1);
}
