/**
 * Process rows: one per process start, written straight into the output buffer. Rarity is read
 * first and learned after the row is written (a first-seen pair is rare in its own row); the
 * hashes to learn wait in a preallocated scratch array, so nothing is hashed twice.
 */
import type { Event, ProcessStart } from '../../common/events.js';
import { CommandLineCache, tokenHash, type ScannedLine } from './command-line-cache.js';
import { tokenBounds } from './command-line.js';
import { equalsIgnoringCase, isAscii, matchesLowerAt } from './fold-case.js';
import { FNV_OFFSET, fnvAdd, mixKey } from './hash.js';
import type { HostState, LineageNode } from './host-state.js';
import type { ImageInfoCache } from './image-info.js';
import { integrityOrdinal, isSystemUser, PathClass } from './image-path.js';
import { Key, type KeySeeds } from './keys.js';
import { PROCESS_LAYOUT } from './process-features.js';
import { refPid, refStart } from './process-map.js';
import type { ProcessSlots } from './process-slots.js';
import { rarityFromCount, type CountMinSketch } from './rarity.js';
import type { FeatureRows } from './rows.js';

const P = PROCESS_LAYOUT.index;
/** The name hash of no image (a grandparent not remembered): as imageInfo('').nameHash. */
const EMPTY_NAME_HASH = fnvAdd(FNV_OFFSET, '');
const DAY_MS = 86_400_000;
const clamp1 = (x: number) => (x > 1 ? 1 : x < 0 ? 0 : x);
const log2s = (x: number, d: number) => (x > 0 ? clamp1(Math.log2(1 + x) / d) : 0);

export interface ProcessRowOptions {
  maxTokens: number;
  maxLineagePerHost: number;
  utcOffsetMs: number;
  learn: boolean;
}

/**
 * The PE original file name differs from the (lower-case) file name, ignoring case and the
 * ".mui" PowerShell's PE resource carries ("PowerShell.EXE.MUI").
 */
function renamed(ofn: string, name: string): boolean {
  if (!isAscii(ofn)) {
    const lower = ofn.toLowerCase();
    return (lower.endsWith('.mui') ? lower.slice(0, -4) : lower) !== name;
  }
  const n = matchesLowerAt(ofn, ofn.length - 4, '.mui') ? ofn.length - 4 : ofn.length;
  if (n !== name.length) return true;
  for (let k = 0; k < n; k++) {
    let c = ofn.charCodeAt(k);
    if (c >= 65 && c <= 90) c |= 0x20;
    if (c !== name.charCodeAt(k)) return true;
  }
  return false;
}

export class ProcessRowWriter {
  private readonly starts: Int32Array;
  private readonly ends: Int32Array;
  private readonly lines: CommandLineCache;
  private readonly pending: Int32Array;
  private pendingCount = 0;
  private tokenMax = 0;
  private tokenUnseen = 0;
  evictedLineage = 0;

  constructor(
    private readonly slots: ProcessSlots,
    private readonly sketch: CountMinSketch,
    private readonly seeds: KeySeeds,
    private readonly images: ImageInfoCache,
    private readonly o: ProcessRowOptions,
  ) {
    this.starts = new Int32Array(o.maxTokens);
    this.ends = new Int32Array(o.maxTokens);
    this.lines = new CommandLineCache(o.maxTokens);
    this.pending = new Int32Array(o.maxTokens + 16);
  }

  write(e: Event, s: ProcessStart, host: HostState, rows: FeatureRows, eventIndex: number): void {
    const o = rows.next(eventIndex); // first: next() may grow (replace) rows.values
    const v = rows.values;
    const t = Number(e.timeMs ?? 0);
    const image = s.image ?? '';
    const parentNode = host.lineage.get(refPid(s.parent), refStart(s.parent));
    const parentImage = s.parentImage || parentNode?.image || '';
    const depth = parentNode ? parentNode.depth + 1 : 1;
    const img = this.images.get(image);
    const par = this.images.get(parentImage);
    const ih = img.nameHash;
    const ph = par.nameHash;
    const gph = parentNode ? parentNode.parentNameHash : EMPTY_NAME_HASH;
    // The parent or an ancestor is a script host (the parent's node knows about its own ancestors).
    const lineageScript = par.scriptHost || (parentNode?.scriptLineage ?? false);
    const slot = this.slots.take();
    const serial = this.slots.serial();
    rows.identify(slot, serial, parentNode ? parentNode.slot : -1, parentNode ? parentNode.serial : -1);
    this.remember(host, refPid(s.process), refStart(s.process), { image, parentImage, parentNameHash: ph, depth, scriptLineage: lineageScript || img.scriptHost, slot, serial });

    // time of day (tenant local), weekend: 1970-01-01 was a Thursday
    const local = t + this.o.utcOffsetMs;
    const hour = (((local % DAY_MS) + DAY_MS) % DAY_MS) / 3_600_000;
    v[o + P.hour_sin] = Math.sin((2 * Math.PI * hour) / 24);
    v[o + P.hour_cos] = Math.cos((2 * Math.PI * hour) / 24);
    const weekday = (((Math.floor(local / DAY_MS) + 4) % 7) + 7) % 7;
    v[o + P.weekend] = weekday === 0 || weekday === 6 ? 1 : 0;
    v[o + P.ancestry_depth] = Math.min(depth, 16) / 16;
    v[o + P.parent_unknown] = parentNode ? 0 : 1;

    // where the image and its parent live
    const cls = img.pathClass;
    v[o + P.image_system_dir] = cls & PathClass.SYSTEM ? 1 : 0;
    v[o + P.image_program_dir] = cls & PathClass.PROGRAM ? 1 : 0;
    v[o + P.image_user_writable] = cls & PathClass.USER_WRITABLE ? 1 : 0;
    v[o + P.image_temp_dir] = cls & PathClass.TEMP ? 1 : 0;
    const ofn = s.originalFileName ?? '';
    v[o + P.image_renamed] = ofn !== '' && ofn !== '-' && img.name !== '' && renamed(ofn, img.name) ? 1 : 0;
    v[o + P.image_script_host] = img.scriptHost ? 1 : 0;
    v[o + P.parent_script_host] = par.scriptHost ? 1 : 0;
    v[o + P.lineage_script_host] = lineageScript ? 1 : 0;
    v[o + P.image_recon_tool] = img.reconTool ? 1 : 0;
    v[o + P.parent_document_app] = par.documentApp ? 1 : 0;
    v[o + P.parent_user_writable] = par.pathClass & PathClass.USER_WRITABLE ? 1 : 0;

    // command-line shape and token hashes: one pass (command-line-scan.ts), once per distinct line (command-line-cache.ts)
    const cl = s.commandLine ?? '';
    const seed = this.seeds.seed;
    const shape = this.lines.get(cl);
    v[o + P.cmd_length] = log2s(shape.length, 16);
    v[o + P.cmd_entropy] = clamp1(shape.entropy / 8);
    v[o + P.cmd_tokens] = log2s(shape.tokens, 8);
    v[o + P.cmd_base64_run] = log2s(shape.base64Run, 12);
    v[o + P.cmd_hex_run] = log2s(shape.hexRun, 12);
    v[o + P.cmd_urls] = Math.min(shape.urls, 4) / 4;
    v[o + P.cmd_ip_literals] = Math.min(shape.ipLiterals, 4) / 4;
    v[o + P.cmd_encoded] = shape.encoded ? 1 : 0;
    v[o + P.cmd_evasion_markers] = Math.min(shape.evasionMarkers, 4) / 4;
    v[o + P.cmd_obfuscation] = clamp1(10 * shape.obfuscation);

    // user and integrity
    const user = s.user ?? '';
    const uid = s.uid ?? 0;
    const system = isSystemUser(user, uid);
    v[o + P.user_system] = system ? 1 : 0;
    const parentUser = s.parentUser ?? '';
    v[o + P.user_changed] = parentUser !== '' && user !== '' && !equalsIgnoringCase(parentUser, user) ? 1 : 0;
    v[o + P.integrity_level] = integrityOrdinal(s.integrityLevel ?? '', uid, system);

    // rarity: read now, learn after the row is written
    this.pendingCount = 0;
    v[o + P.rare_image_host] = this.look(mixKey(seed[Key.IMAGE_HOST]!, ih));
    v[o + P.rare_image_tenant] = this.look(mixKey(seed[Key.IMAGE_TENANT]!, ih));
    v[o + P.rare_image_fleet] = this.look(mixKey(seed[Key.IMAGE_FLEET]!, ih));
    v[o + P.rare_pair_tenant] = this.look(mixKey(mixKey(seed[Key.PAIR_TENANT]!, ph), ih));
    v[o + P.rare_pair_fleet] = this.look(mixKey(mixKey(seed[Key.PAIR_FLEET]!, ph), ih));
    v[o + P.rare_chain_tenant] = this.look(mixKey(mixKey(mixKey(seed[Key.CHAIN_TENANT]!, gph), ph), ih));
    v[o + P.rare_user_image_tenant] = this.look(mixKey(mixKey(seed[Key.USER_IMAGE_TENANT]!, fnvAdd(FNV_OFFSET, user)), ih));
    const hashes = s.hashes ?? '';
    v[o + P.rare_hash_tenant] = hashes === '' ? 0 : this.look(mixKey(mixKey(seed[Key.HASH_TENANT]!, ih), fnvAdd(FNV_OFFSET, hashes)));
    this.tokens(shape, mixKey(seed[Key.TOKEN_TENANT]!, ih));
    v[o + P.rare_cmd_token_max] = this.tokenMax;
    v[o + P.cmd_new_token_fraction] = this.tokenUnseen;
    if (this.o.learn) for (let i = 0; i < this.pendingCount; i++) this.sketch.add(this.pending[i]!);
  }

  /**
   * The token of a command line that is rarest for its image, by the current counters (seeds
   * already pointed at the tenant); '' when there is none. For explanations: slow path, after the fact.
   */
  rarestToken(s: ProcessStart): string {
    const cl = s.commandLine ?? '';
    const seed = mixKey(this.seeds.seed[Key.TOKEN_TENANT]!, this.images.get(s.image ?? '').nameHash);
    const n = tokenBounds(cl, this.starts, this.ends);
    let best = '';
    let bestCount = Infinity;
    for (let i = 1; i < n; i++) {
      const h = mixKey(seed, tokenHash(cl, this.starts[i]!, this.ends[i]!));
      const c = this.sketch.estimate(h);
      if (c < bestCount) {
        bestCount = c;
        best = cl.slice(this.starts[i], this.ends[i]);
      }
    }
    return best;
  }

  /**
   * Sets tokenMax (max rarity) and tokenUnseen (share never seen), skipping token 0 (the program).
   * A token's key: its hash mixed with `seed` (tenant and image).
   */
  private tokens(line: ScannedLine, seed: number): void {
    const hashes = line.hashes;
    const n = hashes.length;
    this.tokenMax = 0;
    this.tokenUnseen = 0;
    if (n === 0) return;
    let max = 0;
    let unseen = 0;
    for (let i = 0; i < n; i++) {
      const h = mixKey(seed, hashes[i]!);
      const c = this.sketch.estimate(h);
      if (c === 0) unseen++;
      const r = this.look(h, c);
      if (r > max) max = r;
    }
    this.tokenMax = max;
    this.tokenUnseen = unseen / n;
  }

  private look(h: number, count = this.sketch.estimate(h)): number {
    if (this.pendingCount < this.pending.length) this.pending[this.pendingCount++] = h;
    return rarityFromCount(count);
  }

  private remember(host: HostState, pid: number, start: number, node: LineageNode): void {
    const lineage = host.lineage;
    // a process reported twice: the later report is the one remembered, under a new slot
    const replaced = lineage.set(pid, start, node);
    if (replaced) this.slots.release(replaced.slot);
    if (lineage.size > this.o.maxLineagePerHost) {
      this.slots.release(lineage.shift()!.slot);
      this.evictedLineage++;
    }
  }
}
