/**
 * Finding the owners of new sockets on a fixture /proc: which holder a shared socket goes to, the
 * search stopping once everything is found, the processes searched first, and the map's bound.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SocketOwners } from '../../../../sensors/collectors/network/socket-owners.js';
import { ProcReader } from '../../../../sensors/proc/index.js';
import { FIXTURE_BOOT_MS, FakeProc } from '../../proc/fake-proc.js';

let fake: FakeProc;
let owners: SocketOwners;

beforeEach(() => {
  fake = new FakeProc()
    .add({ pid: 1, ppid: 0, startTicks: 1, exe: '/sbin/init' })
    .add({ pid: 50, ppid: 1, startTicks: 300, exe: '/usr/sbin/nginx' }).addSocket(50, 6, 100) // listener
    .add({ pid: 51, ppid: 50, startTicks: 310, exe: '/usr/sbin/nginx' }).addSocket(51, 6, 100).addSocket(51, 7, 200)
    .add({ pid: 52, ppid: 50, startTicks: 320, exe: '/usr/sbin/nginx' }).addSocket(52, 6, 100).addSocket(52, 9, 200)
    .add({ pid: 70, ppid: 1, startTicks: 500, exe: '/usr/bin/curl' }).addSocket(70, 3, 300);
  owners = new SocketOwners(new ProcReader({ procRoot: fake.procRoot }), FIXTURE_BOOT_MS);
});
afterEach(() => fake.cleanup());

const live = (...inodes: number[]) => new Set(inodes);
const pidOf = (inode: number) => owners.ownerOf(inode)?.ref.pid;

describe('SocketOwners', () => {
  it('gives a shared listener to the eldest holder, another shared socket to the first found', () => {
    owners.resolve(new Map([[100, true], [200, false]]), live(100, 200));
    expect(pidOf(100)).toBe(50); // found in 52 (newest first), walked up to the master
    expect(pidOf(200)).toBe(52); // passed between workers: the first holder found
    expect(owners.ownerOf(100)).toEqual({ ref: { pid: 50, startTimeMs: FIXTURE_BOOT_MS + 3000 }, image: '/usr/sbin/nginx' });
  });

  it('stops once every wanted inode is found, newest processes first', () => {
    fake.add({ pid: 90, ppid: 1, startTicks: 900, exe: '/usr/bin/ssh' }).addSocket(90, 3, 400);
    owners.resolve(new Map([[400, false]]), live(400));
    expect(pidOf(400)).toBe(90);
    expect(owners.stats).toMatchObject({ scans: 1, processesRead: 1 });
  });

  it('searches the processes that held new sockets recently first', () => {
    owners.resolve(new Map([[300, false]]), live(300));
    expect(owners.stats.processesRead).toBe(1);
    fake.add({ pid: 95, ppid: 1, startTicks: 950, exe: '/bin/sleep' }); // newer, holds nothing
    fake.addSocket(70, 4, 301);
    owners.resolve(new Map([[301, false]]), live(300, 301));
    expect(pidOf(301)).toBe(70);
    expect(owners.stats.processesRead).toBe(2); // 70 (hot) before 95 (newest)
  });

  it('reads everything for a socket nobody holds, and leaves it unknown', () => {
    owners.resolve(new Map([[999, false]]), live(999));
    expect(owners.knows(999)).toBe(false);
    expect(owners.stats.processesRead).toBe(5);
  });

  it('forgets the sockets no longer in the tables', () => {
    owners.resolve(new Map([[300, false]]), live(300));
    expect(owners.size).toBe(1);
    owners.resolve(new Map([[200, false]]), live(200));
    expect(owners.knows(300)).toBe(false);
    expect(owners.size).toBe(1);
  });
});
