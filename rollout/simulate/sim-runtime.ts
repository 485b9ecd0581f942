/**
 * The content runtime of a simulated host: it "runs" a pack by remembering its version, and
 * plays the fault of the bad version. A crash is not thrown: the runtime tells its host, which
 * kills its agent (drops the updater) and starts a new one on the same state, as a real process
 * restart would.
 */
import { ok, type Result } from '../../common/errors.js';
import type { VerifiedBundle } from '../bundle/index.js';
import type { ContentRuntime } from '../../sensors/updater/types.js';

export class SimRuntime implements ContentRuntime {
  readonly kind = 'signatures' as const;
  private version = '';
  /** Set when loading this version crashes the agent on this host. */
  crashOnLoad: (version: string) => boolean = () => false;
  crashPending = false;

  load(b: VerifiedBundle): Promise<Result<void>> {
    if (this.crashOnLoad(b.manifest.version)) this.crashPending = true;
    this.version = b.manifest.version;
    return Promise.resolve(ok(undefined));
  }

  running(): string {
    return this.version;
  }

  reset(): void {
    this.version = '';
  }
}
