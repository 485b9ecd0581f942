/**
 * The process tree around an alert. Every grouped detection carries its process and ancestry (pid,
 * start time, image, command line, user) and its event (network peer, DNS query): their union is
 * the tree as far as detections saw it. The alert's process context (contexts.ts) adds what the
 * archive holds around it: siblings and children that fired nothing, exits, network peers. Without
 * it, processes that neither fired nor are an ancestor of one that fired are not drawn.
 */
import type { ProcessSummary, Severity } from '../detect/detection.js';
import type { StoredDetection } from '../store/index.js';
import { SEVERITY_RANK } from '../store/index.js';
import type { ArchivedProcess } from './context-events.js';

export type Relation = 'focus' | 'ancestor' | 'sibling' | 'child' | 'descendant' | 'related';

export interface TreeNode {
  key: string;
  pid: number;
  startTimeMs: number;
  image: string;
  commandLine: string;
  user: string;
  relation: Relation;
  /** What fired on this process, counted per rule or model. */
  detections: { ruleId: string; title: string; severity: Severity; count: number }[];
  /** Network peers and DNS names seen in this process's evidence and archived telemetry. */
  peers: string[];
  /** When it exited, if the archived telemetry says so. */
  exitTimeMs: number | null;
  children: TreeNode[];
}

export interface ProcessTree {
  roots: TreeNode[];
  focus: string | null;
  nodes: number;
  /** True when MAX_TREE_NODES cut the tree. */
  truncated: boolean;
  /** Processes of the context left out by that cut. */
  omitted: number;
}

export const MAX_TREE_NODES = 500;
const MAX_NODES = MAX_TREE_NODES;
const MAX_PEERS = 20;

interface Building extends Omit<TreeNode, 'children' | 'relation'> { parent: string | null }

const keyOf = (p: ProcessSummary): string => `${p.pid}:${p.startTimeMs}`;

/**
 * The tree of the detections' processes and ancestry, then of `context` (archived processes, most
 * important first): a process already drawn gets what it lacked (parent, exit, peers); a new one
 * is added while the tree has room, and counted in `omitted` when not.
 */
export function buildTree(detections: readonly StoredDetection[], context: readonly ArchivedProcess[] = []): ProcessTree {
  const nodes = new Map<string, Building>();
  let truncated = false;
  const node = (key: string, p: Partial<ProcessSummary>): Building | undefined => {
    let n = nodes.get(key);
    if (!n) {
      if (nodes.size >= MAX_NODES) { truncated = true; return undefined; }
      const [pid, start] = key.split(':');
      n = { key, pid: p.pid ?? Number(pid), startTimeMs: p.startTimeMs ?? Number(start), image: '', commandLine: '', user: '', parent: null, detections: [], peers: [], exitTimeMs: null };
      nodes.set(key, n);
    }
    if (!n.image && p.image) n.image = p.image;
    if (!n.commandLine && p.commandLine) n.commandLine = p.commandLine;
    if (!n.user && p.user) n.user = p.user;
    return n;
  };
  const ordered = [...detections].sort((a, b) => a.timeMs - b.timeMs || a.id - b.id);
  let focus: StoredDetection | undefined;
  for (const d of ordered) {
    if (!focus || SEVERITY_RANK[d.severity] > SEVERITY_RANK[focus.severity]) focus = d;
    const chain = d.evidence.ancestry;
    for (let i = 0; i < chain.length; i++) {
      const n = node(keyOf(chain[i]!), chain[i]!);
      if (n && i + 1 < chain.length) n.parent ??= keyOf(chain[i + 1]!);
    }
    const subject = node(d.processKey, fromEvent(d));
    if (!subject) continue;
    const seen = subject.detections.find((x) => x.ruleId === d.ruleId);
    if (seen) seen.count++;
    else subject.detections.push({ ruleId: d.ruleId, title: d.title, severity: d.severity, count: 1 });
    const peer = peerOf(d.evidence.event);
    if (peer && !subject.peers.includes(peer) && subject.peers.length < MAX_PEERS) subject.peers.push(peer);
  }
  let omitted = 0;
  for (const a of context) {
    const n = node(a.key, a);
    if (!n) { omitted++; continue; }
    if (a.started && a.parentKey !== '0:0' && a.parentKey !== a.key) n.parent ??= a.parentKey;
    n.exitTimeMs ??= a.exitTimeMs;
    for (const peer of a.peers) if (n.peers.length < MAX_PEERS && !n.peers.includes(peer)) n.peers.push(peer);
  }
  return assemble(nodes, focus?.processKey ?? null, truncated, omitted);
}

function assemble(nodes: Map<string, Building>, focusKey: string | null, truncated: boolean, omitted: number): ProcessTree {
  const built = new Map<string, TreeNode>();
  for (const [k, b] of nodes) {
    const { parent: _parent, ...rest } = b;
    built.set(k, { ...rest, relation: 'related', children: [] });
  }
  // Parent links come from two sources and pids are reused: a loop would hide its members from
  // every root, so the first member found in one becomes a root.
  for (const [k, b] of nodes) if (loops(nodes, k)) b.parent = null;
  const roots: TreeNode[] = [];
  for (const [k, b] of nodes) {
    const parent = b.parent === null ? undefined : built.get(b.parent);
    if (parent && parent !== built.get(k)) parent.children.push(built.get(k)!);
    else roots.push(built.get(k)!);
  }
  const byStart = (a: TreeNode, b: TreeNode) => a.startTimeMs - b.startTimeMs || a.pid - b.pid;
  for (const n of built.values()) n.children.sort(byStart);
  roots.sort(byStart);
  const focus = focusKey === null ? undefined : built.get(focusKey);
  if (focus) {
    focus.relation = 'focus';
    const mark = (n: TreeNode, r: Relation) => { for (const c of n.children) { c.relation = r; mark(c, 'descendant'); } };
    mark(focus, 'child');
    let parentKey = nodes.get(focus.key)?.parent ?? null;
    const parent = parentKey === null ? undefined : built.get(parentKey);
    for (const s of parent?.children ?? []) if (s !== focus) s.relation = 'sibling';
    const guard = new Set<string>();
    while (parentKey !== null && !guard.has(parentKey) && built.has(parentKey)) {
      guard.add(parentKey);
      built.get(parentKey)!.relation = 'ancestor';
      parentKey = nodes.get(parentKey)?.parent ?? null;
    }
  }
  return { roots, focus: focus ? focus.key : null, nodes: built.size, truncated, omitted };
}

function loops(nodes: Map<string, Building>, k: string): boolean {
  const seen = new Set<string>();
  for (let p = nodes.get(k)?.parent ?? null; p !== null; p = nodes.get(p)?.parent ?? null) {
    if (p === k) return true;
    if (seen.has(p)) return false;
    seen.add(p);
  }
  return false;
}

function fromEvent(d: StoredDetection): Partial<ProcessSummary> {
  const e = d.evidence.event as { processStart?: { image?: string; commandLine?: string; user?: string }; network?: { image?: string; commandLine?: string; user?: string }; dns?: { image?: string } };
  const p = e.processStart ?? e.network ?? e.dns;
  return { image: p?.image ?? '', commandLine: (p as { commandLine?: string } | undefined)?.commandLine ?? '', user: (p as { user?: string } | undefined)?.user ?? '' };
}

const DIRECTIONS: Readonly<Record<number, string>> = { 1: 'outbound', 2: 'inbound', 3: 'listen' };

/** A network event as `203.0.113.9:443 (evil.example) outbound`, a DNS query as `DNS evil.example`. */
export function peerOf(event: Record<string, unknown>): string | undefined {
  const n = event['network'] as { remoteAddress?: string; remotePort?: number; remoteHostname?: string; direction?: string | number } | undefined;
  if (n?.remoteAddress) {
    const name = typeof n.direction === 'number' ? DIRECTIONS[n.direction] : n.direction?.replace('DIRECTION_', '').toLowerCase();
    const dir = name ? ` ${name}` : '';
    return `${n.remoteAddress}:${n.remotePort ?? 0}${n.remoteHostname ? ` (${n.remoteHostname})` : ''}${dir}`;
  }
  const q = event['dns'] as { queryName?: string } | undefined;
  return q?.queryName ? `DNS ${q.queryName}` : undefined;
}
