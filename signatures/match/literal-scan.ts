/**
 * A field with a handful of literals (GUIDs, the host, the logon id: read for one keyword rule's
 * "\\perfc.dat" and one rule's "0x3e7") is searched with `includes` on its lower-cased value,
 * and only when the raw value holds a literal's anchor: a character of it that lower-casing never
 * makes (ASCII, not a letter). Without any anchor no literal can occur in the lower-cased value
 * either, and the value is not lower-cased at all.
 */
import type { Automaton, AutomatonStats } from './automaton/index.js';

/** Appends the payloads `ids` not yet marked with `epoch` in `seen` to `out`; the new count. */
export function appendIds(ids: Int32Array, seen: Uint32Array, epoch: number, out: Int32Array, count: number): number {
  for (let k = 0; k < ids.length; k++) {
    const id = ids[k] as number;
    if (seen[id] !== epoch) {
      seen[id] = epoch;
      out[count++] = id;
    }
  }
  return count;
}

/** A character of `literal` that no lower-casing produces (ASCII, not a letter), or ''. */
function anchorOf(literal: string): string {
  for (const c of literal) if (c < '\x80' && !/[a-z]/i.test(c)) return c;
  return '';
}

export class LiteralScanner implements Automaton {
  readonly stats: AutomatonStats;
  private readonly literals: readonly string[];
  private readonly ids: readonly Int32Array[];
  /** Per literal, its anchor ('' when it has none: it may always occur). */
  private readonly anchors: readonly string[];

  /** `literals`: lower-cased literal -> payloads. */
  constructor(literals: ReadonlyMap<string, readonly number[]>) {
    this.literals = [...literals.keys()];
    this.ids = [...literals.values()].map((ids) => Int32Array.from(ids));
    this.anchors = this.literals.map(anchorOf);
    const tableBytes = this.literals.reduce((n, l) => n + 2 * l.length, 0);
    this.stats = { layout: 'literals', patterns: literals.size, states: 0, classes: 0, tableBytes };
  }

  /** Whether no literal can occur in `text`: it holds no anchor (a cheap test before `scan`). */
  rejects(text: string): boolean {
    return !this.anchored(text);
  }

  scan(text: string, seen: Uint32Array, epoch: number, out: Int32Array, count: number): number {
    if (!this.anchored(text)) return count;
    const lower = text.toLowerCase();
    for (let j = 0; j < this.literals.length; j++) {
      if (lower.includes(this.literals[j] as string)) count = appendIds(this.ids[j] as Int32Array, seen, epoch, out, count);
    }
    return count;
  }

  test(text: string): boolean {
    if (!this.anchored(text)) return false;
    const lower = text.toLowerCase();
    return this.literals.some((l) => lower.includes(l));
  }

  /** Whether `raw` holds some literal's anchor. */
  private anchored(raw: string): boolean {
    const anchors = this.anchors;
    for (let i = 0; i < anchors.length; i++) {
      const a = anchors[i] as string;
      if (a === '' || raw.includes(a)) return true;
    }
    return false;
  }
}
