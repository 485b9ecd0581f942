/**
 * Which archived processes belong to an alert's context: for each focus process (one that fired),
 * itself, its ancestors, all its descendants, and its siblings (the same parent), in that order
 * of priority, so that when the tree's bound cuts, it cuts siblings first, then the deepest
 * descendants. Parents come from the archived process starts, and from the detections' ancestry
 * for processes that started before the window.
 */
import type { ArchivedProcess } from './context-events.js';

const MAX_DEPTH = 64;

/** The archived processes to draw, most important first (each once). */
export function selectContext(archived: ReadonlyMap<string, ArchivedProcess>, focus: readonly string[], knownParents: ReadonlyMap<string, string>): ArchivedProcess[] {
  const parentOf = (key: string): string | undefined => {
    const p = archived.get(key);
    const parent = p?.started ? p.parentKey : knownParents.get(key);
    return parent && parent !== '0:0' && parent !== key ? parent : undefined;
  };
  const children = new Map<string, string[]>();
  for (const p of archived.values()) {
    if (!p.started || p.parentKey === '0:0' || p.parentKey === p.key) continue;
    const list = children.get(p.parentKey);
    if (list) list.push(p.key);
    else children.set(p.parentKey, [p.key]);
  }
  const byStart = (a: string, b: string) => (archived.get(a)?.startTimeMs ?? 0) - (archived.get(b)?.startTimeMs ?? 0);
  for (const list of children.values()) list.sort(byStart);

  const out: ArchivedProcess[] = [];
  const taken = new Set<string>();
  const take = (key: string): void => {
    if (taken.has(key)) return;
    taken.add(key);
    const p = archived.get(key);
    if (p) out.push(p);
  };
  for (const f of focus) take(f);
  for (const f of focus) {
    let k = parentOf(f);
    for (let depth = 0; k !== undefined && depth < MAX_DEPTH && !taken.has(k); depth++) {
      take(k);
      k = parentOf(k);
    }
  }
  // Descendants, breadth first: the nearest first.
  let level = [...focus];
  const visited = new Set(focus);
  for (let depth = 0; level.length > 0 && depth < MAX_DEPTH; depth++) {
    const next: string[] = [];
    for (const k of level) {
      for (const c of children.get(k) ?? []) {
        if (visited.has(c)) continue;
        visited.add(c);
        take(c);
        next.push(c);
      }
    }
    level = next;
  }
  for (const f of focus) {
    const parent = parentOf(f);
    for (const s of parent === undefined ? [] : children.get(parent) ?? []) take(s);
  }
  return out;
}
