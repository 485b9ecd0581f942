/**
 * The signature pack as updatable content: a bundle's payload is pack JSON (signatures/pack), and
 * loading it is SignatureHost.load, which compiles the pack in a new worker beside the running
 * one and swaps only when it loaded (STYLE.md §15).
 */
import { fail, ok, type Result } from '../../common/errors.js';
import type { VerifiedBundle } from '../../rollout/bundle/index.js';
import { parsePack } from '../../signatures/pack/index.js';
import type { SignatureHost } from '../signatures/index.js';
import type { ContentRuntime } from './types.js';

export class SignatureRuntime implements ContentRuntime {
  readonly kind = 'signatures' as const;

  constructor(readonly host: SignatureHost) {}

  async load(b: VerifiedBundle): Promise<Result<void>> {
    const m = b.manifest;
    const file = `bundle ${m.name} ${m.version}`;
    let text: string;
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(b.payload);
    } catch {
      return fail('VIGIE_PACK_INVALID', 'a signature pack must be UTF-8 JSON', { file });
    }
    const read = parsePack(text, file);
    if (!read.ok) return { ok: false, error: read.problems[0]! };
    const pack = read.value;
    // The manifest was signed for a name and version: the pack inside must be that one.
    if (pack.name !== m.name || pack.version !== m.version) {
      return fail('VIGIE_BUNDLE_INVALID', `the pack inside is ${pack.name} ${pack.version}, the manifest says ${m.name} ${m.version}`, { file, field: 'version' });
    }
    const loaded = await this.host.load(pack);
    return loaded.ok ? ok(undefined) : { ok: false, error: loaded.problems[0] ?? { code: 'VIGIE_PACK_INVALID', message: 'pack did not load', location: { file } } };
  }

  running(): string {
    return this.host.version;
  }
}
