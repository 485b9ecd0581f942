/**
 * A signature pack: compiled rules plus their metadata, in a stable JSON format that the rollout
 * controller signs and ships and that sensors load. `format` names the layout; readers refuse a
 * format they do not know. Rules are in IR form (ir.ts), never Sigma YAML.
 */
import type { CompiledRule } from '../ir.js';

export const PACK_FORMAT = 'vigie.signature-pack/1';

export interface SignaturePack {
  format: typeof PACK_FORMAT;
  /** Pack name, e.g. "vigie-default". */
  name: string;
  /** Semantic version, e.g. "1.4.0". Versions only move forward (rollout). */
  version: string;
  /** ISO 8601 time the pack was compiled. */
  created: string;
  /** The Vigie version that compiled it. */
  compiler: string;
  rules: CompiledRule[];
}
