/**
 * Real trust for updater tests: Ed25519 root, release and directive keys from rollout/trust, signed
 * bundles of real signature packs from rollout/bundle, signed directives, and bundle sources.
 */
import { fail, ok, type Result } from '../../../common/errors.js';
import { silentLogger } from '../../../common/log.js';
import { createBundle, decodeBundle, PACK_FIELD_SCHEMA } from '../../../rollout/bundle/index.js';
import { DIRECTIVE_FORMAT, type Directive, type DirectiveTarget } from '../../../rollout/controller/directive.js';
import { createRoot, generateKeyPair, signDocument, TrustStore, type KeyPair, type Signed } from '../../../rollout/trust/index.js';
import { SignatureHost } from '../../../sensors/signatures/index.js';
import { ContentUpdater, SignatureRuntime, type BundleCache, type BundleSource, type ContentRuntime, type UpdaterStore } from '../../../sensors/updater/index.js';
import type { CompiledRule } from '../../../signatures/ir.js';
import { packText } from '../../../signatures/pack/index.js';
import { containsRule, pack } from '../../helpers/packs.js';

export const T0 = Date.parse('2025-03-01T00:00:00.000Z');
export const MIN = 60_000;
export const SENSOR_VERSION = '0.1.0';

export interface Kit {
  release: KeyPair;
  directive: KeyPair;
  trust: TrustStore;
}

export function makeKit(): Kit {
  const root = generateKeyPair();
  const release = generateKeyPair();
  const directive = generateKeyPair();
  const doc = signDocument(createRoot({ root: [root], release: [release], directive: [directive] }, { expires: '2030-01-01T00:00:00.000Z' }), [root]);
  const trust = TrustStore.fromRoot(doc, T0);
  if (!trust.ok) throw new Error(trust.error.message);
  return { release, directive, trust: trust.value };
}

export interface MadeBundle {
  bytes: Uint8Array;
  target: DirectiveTarget;
}

/** A signed bundle of a real pack named "test" whose rule fires on `word`. */
export function packBundle(kit: Kit, version: string, word: string, o: { expiresInDays?: number; rules?: CompiledRule[]; keys?: KeyPair[] } = {}): MadeBundle {
  const payload = Buffer.from(packText(pack(version, o.rules ?? [containsRule(`r-${word}`, word)])), 'utf8');
  const bytes = createBundle({
    kind: 'signatures', name: 'test', version, payload, featureSchema: PACK_FIELD_SCHEMA, sensorRange: '>=0.1.0 <1.0.0', engineRange: '*',
    expiresInDays: o.expiresInDays ?? 30, created: new Date(T0).toISOString(),
  }, o.keys ?? [kit.release]);
  const d = decodeBundle(bytes);
  if (!d.ok) throw new Error(d.error.message);
  return { bytes, target: { kind: 'signatures', name: 'test', version, sha256: d.value.manifest.signed.sha256 } };
}

export function directive(kit: Kit, serial: number, targets: DirectiveTarget[], o: { rollback?: Directive['rollback']; expiresMs?: number } = {}): Signed<Directive> {
  return signDocument<Directive>({
    format: DIRECTIVE_FORMAT, serial, issued: new Date(T0).toISOString(), expires: new Date(o.expiresMs ?? T0 + 7 * 86_400_000).toISOString(),
    targets, rollback: o.rollback ?? [],
  }, [kit.directive]);
}

/** Serves bundles from memory, by payload sha256; can be switched off (no network). */
export class MapSource implements BundleSource {
  readonly bundles = new Map<string, Uint8Array>();
  fetches = 0;
  offline = false;

  add(...bs: MadeBundle[]): this {
    for (const b of bs) this.bundles.set(b.target.sha256, b.bytes);
    return this;
  }

  async fetch(t: DirectiveTarget): Promise<Result<Uint8Array>> {
    this.fetches++;
    if (this.offline) return fail('VIGIE_UPDATER_IO', 'network down');
    const b = this.bundles.get(t.sha256);
    return b ? ok(b) : fail('VIGIE_UPDATER_IO', `no bundle ${t.sha256}`);
  }
}

/** A signature runtime whose load of `version` never returns: the process "died" mid-load. */
export class DyingRuntime implements ContentRuntime {
  readonly kind = 'signatures' as const;
  constructor(readonly inner: SignatureRuntime, readonly dieOn: string) {}
  load(b: Parameters<ContentRuntime['load']>[0]): ReturnType<ContentRuntime['load']> {
    if (b.manifest.version === this.dieOn) return new Promise(() => undefined);
    return this.inner.load(b);
  }
  running(): string {
    return this.inner.running();
  }
}

/** A clock the test moves. */
export function clock(start = T0): { now: () => number; set(ms: number): void; advance(ms: number): void } {
  let t = start;
  return { now: () => t, set: (ms) => void (t = ms), advance: (ms) => void (t += ms) };
}

const hosts: SignatureHost[] = [];

/** A fresh "process": a new real SignatureHost (no pack) and its runtime. */
export async function freshRuntime(): Promise<SignatureRuntime> {
  const host = await SignatureHost.start(undefined, { log: silentLogger, provenBatches: 1 });
  hosts.push(host);
  return new SignatureRuntime(host);
}

export async function closeHosts(): Promise<void> {
  for (const h of hosts.splice(0)) await h.close();
}

export function startUpdater(kit: Kit, o: { runtime: ContentRuntime; source: BundleSource; store: UpdaterStore; bundles: BundleCache; now: () => number }): Promise<ContentUpdater> {
  return ContentUpdater.start({
    runtimes: [o.runtime], trust: kit.trust, source: o.source, store: o.store, bundles: o.bundles, now: o.now,
    sensorVersion: SENSOR_VERSION, featureSchemas: [PACK_FIELD_SCHEMA], log: silentLogger,
  });
}
