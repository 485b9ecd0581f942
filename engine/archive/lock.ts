/**
 * One Archive per directory: two writers would interleave records and break the dedup guarantee.
 * A `LOCK` file holds the owner's pid; a lock left by a dead process (a crash) is taken over.
 * Node has no flock(), hence the pid check. If the dead owner's pid has been reused by an
 * unrelated live process, open() refuses: delete `LOCK` by hand after checking.
 */
import { open, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';

const LOCK_FILE = 'LOCK';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Takes the lock, or says which pid holds it. */
export async function acquireLock(dir: string): Promise<{ ok: true } | { ok: false; holder: number }> {
  const path = join(dir, LOCK_FILE);
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fh = await open(path, 'wx');
      try {
        await fh.writeFile(`${process.pid}\n`);
      } finally {
        await fh.close();
      }
      return { ok: true };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
    const holder = Number.parseInt(await readFile(path, 'utf8').catch(() => ''), 10);
    if (Number.isInteger(holder) && holder > 0 && alive(holder)) return { ok: false, holder };
    await rm(path, { force: true });
  }
  return { ok: false, holder: -1 };
}

export async function releaseLock(dir: string): Promise<void> {
  await rm(join(dir, LOCK_FILE), { force: true });
}
