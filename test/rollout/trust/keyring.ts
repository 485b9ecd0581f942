/** A trust setup for tests: real keys for each role, a root signed by its root keys. */
import { createRoot, generateKeyPair, signDocument, TrustStore } from '../../../rollout/trust/index.js';
import type { KeyPair, RoleName, RootMetadata, Signed } from '../../../rollout/trust/index.js';

export const NOW = Date.parse('2025-06-01T00:00:00.000Z');
export const DAY = 86_400_000;

export interface Keyring {
  root: KeyPair[];
  release: KeyPair[];
  directive: KeyPair[];
  signedRoot: Signed<RootMetadata>;
  trust: TrustStore;
}

export function keyring(o: { counts?: Partial<Record<RoleName, number>>; thresholds?: Partial<Record<RoleName, number>>; version?: number; expiresMs?: number } = {}): Keyring {
  const make = (n: number): KeyPair[] => Array.from({ length: n }, generateKeyPair);
  const keys = { root: make(o.counts?.root ?? 3), release: make(o.counts?.release ?? 2), directive: make(o.counts?.directive ?? 1) };
  const root = createRoot(keys, {
    version: o.version ?? 1,
    expires: new Date(o.expiresMs ?? NOW + 365 * DAY).toISOString(),
    thresholds: { root: 2, release: 1, directive: 1, ...o.thresholds },
  });
  const signedRoot = signDocument(root, keys.root);
  const trust = TrustStore.fromRoot(signedRoot, NOW);
  if (!trust.ok) throw new Error(`test keyring: ${trust.error.message}`);
  return { ...keys, signedRoot, trust: trust.value };
}
