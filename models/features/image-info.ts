/**
 * What the rows need to know about an image path (file name, path class, script host...),
 * worked out once per distinct path: a fleet runs a few thousand distinct images, and working
 * it out per event cost a lower-case copy, a slice and some twenty substring searches.
 *
 * The cache is bounded: past `maxEntries` distinct paths it starts over (cleared, not evicted one
 * by one: a full cache means the paths are churning and a hit rate would not be kept anyway),
 * and paths longer than MAX_CACHED_PATH are worked out every time, never kept.
 */
import { FNV_OFFSET, fnvAdd } from './hash.js';
import { basenameStart, DOCUMENT_APPS, pathClass, RECON_TOOLS, SCRIPT_HOSTS } from './image-path.js';

export interface ImageInfo {
  /** Index of the first character of the file name in the path. */
  readonly nameStart: number;
  /** File name in lower case ("powershell.exe"). */
  readonly name: string;
  /** fnvAdd of the file name (ASCII folded to lower case): the name's part of rarity keys (keys.ts). */
  readonly nameHash: number;
  /** PathClass flags of the lower-case path. */
  readonly pathClass: number;
  readonly scriptHost: boolean;
  readonly reconTool: boolean;
  readonly documentApp: boolean;
}

/** Longest path kept in the cache. */
export const MAX_CACHED_PATH = 1024;

export function imageInfo(path: string): ImageInfo {
  const lower = path.toLowerCase();
  const nameStart = basenameStart(path);
  // sliced at the path's own index, as the rows always did (they differ only when lower-casing
  // changes the length, U+0130 in a directory name)
  const name = lower.slice(nameStart);
  return Object.freeze({
    nameStart,
    name,
    nameHash: fnvAdd(FNV_OFFSET, path, nameStart),
    pathClass: pathClass(lower),
    scriptHost: SCRIPT_HOSTS.has(name),
    reconTool: RECON_TOOLS.has(name),
    documentApp: DOCUMENT_APPS.has(name),
  });
}

export class ImageInfoCache {
  private readonly map = new Map<string, ImageInfo>();

  constructor(private readonly maxEntries = 4096) {}

  get(path: string): ImageInfo {
    let info = this.map.get(path);
    if (info !== undefined) return info;
    info = imageInfo(path);
    if (path.length <= MAX_CACHED_PATH) {
      if (this.map.size >= this.maxEntries) this.map.clear();
      this.map.set(path, info);
    }
    return info;
  }
}
