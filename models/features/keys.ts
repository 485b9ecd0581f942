/**
 * Rarity keys: what the counters count, and in which scope. A key's hash starts from a seed that
 * mixes the key kind and the scope (fleet, tenant, host), then the event's own strings are added
 * (see hash.ts), so no key string is ever built. Seeds are recomputed only when the tenant or host
 * changes between calls.
 */
import { FNV_OFFSET, fnvAdd, fnvAddNumber } from './hash.js';

/** Key kinds with their scope. The numbers are mixed into the hash: never renumber in v1. */
export const Key = {
  IMAGE_HOST: 0,
  IMAGE_TENANT: 1,
  IMAGE_FLEET: 2,
  PAIR_TENANT: 3,
  PAIR_FLEET: 4,
  CHAIN_TENANT: 5,
  USER_IMAGE_TENANT: 6,
  HASH_TENANT: 7,
  TOKEN_TENANT: 8,
  NET_IMAGE_TENANT: 9,
  DEST_TENANT: 10,
  DEST_FLEET: 11,
  IMAGE_DEST_TENANT: 12,
  IMAGE_PORT_TENANT: 13,
  DOMAIN_TENANT: 14,
} as const;
export type Key = (typeof Key)[keyof typeof Key];

const KEY_COUNT = 15;
const FLEET_KEYS: readonly Key[] = [Key.IMAGE_FLEET, Key.PAIR_FLEET, Key.DEST_FLEET];

export class KeySeeds {
  /** Seed per Key, for the current tenant and host. */
  readonly seed = new Int32Array(KEY_COUNT);
  private tenant: string | undefined;
  private host: string | undefined;

  constructor() {
    for (const k of FLEET_KEYS) this.seed[k] = fnvAddNumber(fnvAddNumber(FNV_OFFSET, k), 0xf1ee7);
  }

  /** Points the seeds at a tenant and host (no work when they did not change). */
  use(tenant: string, host: string): void {
    if (tenant === this.tenant && host === this.host) return;
    if (tenant !== this.tenant) {
      for (let k = 0; k < KEY_COUNT; k++) {
        if (k === Key.IMAGE_HOST || FLEET_KEYS.includes(k as Key)) continue;
        this.seed[k] = fnvAdd(fnvAddNumber(FNV_OFFSET, k), tenant);
      }
    }
    this.seed[Key.IMAGE_HOST] = fnvAdd(fnvAdd(fnvAddNumber(FNV_OFFSET, Key.IMAGE_HOST), tenant), host);
    this.tenant = tenant;
    this.host = host;
  }
}
