/** Child-process helpers for benchmarks. */
import type { ChildProcess } from 'node:child_process';

/** Resolves with the JSON after `prefix ` on the first stdout line that starts with it. */
export function childLine(child: ChildProcess, prefix: string, timeoutMs = 60_000): Promise<string> {
  return new Promise((resolve, reject) => {
    let buf = '';
    const timer = setTimeout(() => reject(new Error(`no "${prefix}" line from child within ${timeoutMs} ms`)), timeoutMs);
    const onData = (d: Buffer) => {
      buf += d.toString();
      for (const line of buf.split('\n')) {
        if (line.startsWith(`${prefix} `)) {
          clearTimeout(timer);
          child.stdout!.off('data', onData);
          resolve(line.slice(prefix.length + 1));
          return;
        }
      }
    };
    child.stdout!.on('data', onData);
    child.once('exit', (code) => { clearTimeout(timer); reject(new Error(`child exited (${code}) before "${prefix}"`)); });
  });
}

export async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  await exited;
}
