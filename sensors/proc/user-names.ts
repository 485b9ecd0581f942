/**
 * uid -> user name, from <etc>/passwd, cached. A uid that is not in the cache triggers a re-read
 * of passwd, at most once per refresh interval (accounts are added while the agent runs); a uid
 * still unknown is shown as "uid:N" (the proto's convention). Users that only exist in LDAP or
 * another NSS source are shown as "uid:N" too: the agent does not call into NSS.
 */
import type { Result } from '../../common/errors.js';
import { parsePasswd } from './parse-passwd.js';

export interface UserNamesOptions {
  /** Minimum time between two reads of passwd caused by unknown uids. Default 30 s. */
  refreshMs?: number;
  now?: () => number;
}

export class UserNames {
  private names = new Map<number, string>();
  private loadedAt = Number.NEGATIVE_INFINITY;
  private readonly refreshMs: number;
  private readonly now: () => number;

  constructor(private readonly readPasswd: () => Result<string>, options: UserNamesOptions = {}) {
    this.refreshMs = options.refreshMs ?? 30_000;
    this.now = options.now ?? Date.now;
  }

  name(uid: number): string {
    let name = this.names.get(uid);
    if (name === undefined && this.now() - this.loadedAt >= this.refreshMs) {
      this.reload();
      name = this.names.get(uid);
    }
    return name ?? `uid:${uid}`;
  }

  private reload(): void {
    this.loadedAt = this.now();
    const text = this.readPasswd();
    // An unreadable passwd keeps the previous names: "uid:N" is the fallback, not an error.
    if (text.ok) this.names = parsePasswd(text.value);
  }
}
