/**
 * Runs `vigie engine` as a real child process from the compiled CLI (dist/), so tests can SIGKILL
 * it. `npm test` builds dist/ first; a test using this skips with a message when dist/ is missing.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';

export const REPO = join(import.meta.dirname, '..', '..');
export const CLI = join(REPO, 'dist', 'cli', 'main.js');
export const distBuilt = existsSync(CLI);

/** A free loopback port chosen by the OS (closed again, so the engine can bind it). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      srv.close(() => (typeof addr === 'object' && addr ? resolve(addr.port) : reject(new Error('no port'))));
    });
  });
}

export class EngineProcess {
  private child: ChildProcess | undefined;
  stderr = '';

  constructor(private readonly varDir: string, readonly endpoint: string, private readonly extra: string[] = []) {}

  async start(): Promise<{ address: string; publicKey: string }> {
    const child = spawn(process.execPath, [CLI, 'engine', '--var', this.varDir, '--endpoint', this.endpoint, '--no-status', ...this.extra], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, VIGIE_LOG_LEVEL: 'warn' },
    });
    this.child = child;
    child.stderr!.on('data', (d: Buffer) => { this.stderr = (this.stderr + d.toString()).slice(-20_000); });
    return new Promise((resolve, reject) => {
      let out = '';
      const timer = setTimeout(() => reject(new Error(`engine did not start: ${this.stderr}`)), 30_000);
      child.stdout!.on('data', (d: Buffer) => {
        out += d.toString();
        const m = /engine ready (\{.*\})/.exec(out);
        if (m) {
          clearTimeout(timer);
          resolve(JSON.parse(m[1]!) as { address: string; publicKey: string });
        }
      });
      child.on('exit', (code) => { clearTimeout(timer); reject(new Error(`engine exited (${code}): ${this.stderr}`)); });
    });
  }

  /** Sends a signal and waits for the process to be gone. */
  async kill(signal: NodeJS.Signals): Promise<number | null> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return child?.exitCode ?? null;
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    child.kill(signal);
    const code = await exited;
    this.child = undefined;
    return code;
  }
}
