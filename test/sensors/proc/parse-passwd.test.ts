import { describe, expect, it } from 'vitest';
import { ok } from '../../../common/errors.js';
import { UserNames, parsePasswd } from '../../../sensors/proc/index.js';

const PASSWD = [
  '# comment',
  'root:x:0:0:root:/root:/bin/bash',
  '',
  'alice:x:1000:1000:Alice,,,:/home/alice:/bin/bash',
  'toor:x:0:0:second uid 0, getpwuid gives the first:/root:/bin/sh',
  '+nisuser::::::',
  'bad:x:notanumber:0::/:/bin/false',
  'short:x',
  'svc:x:999:999::/nonexistent:/usr/sbin/nologin',
].join('\n');

describe('parsePasswd', () => {
  it('maps uids to the first name, skipping comments, NIS and malformed lines', () => {
    expect([...parsePasswd(PASSWD)]).toEqual([[0, 'root'], [1000, 'alice'], [999, 'svc']]);
  });
});

describe('UserNames', () => {
  it('caches passwd, re-reads it at most once per refresh interval for unknown uids', () => {
    let now = 0;
    let reads = 0;
    let text = PASSWD;
    const names = new UserNames(() => { reads++; return ok(text); }, { refreshMs: 1000, now: () => now });
    expect(names.name(1000)).toBe('alice');
    expect(names.name(0)).toBe('root');
    expect(reads).toBe(1);
    text = `${PASSWD}\nbob:x:1001:1001::/home/bob:/bin/sh`;
    expect(names.name(1001)).toBe('uid:1001'); // too soon to re-read
    expect(reads).toBe(1);
    now = 1000;
    expect(names.name(1001)).toBe('bob');
    expect(reads).toBe(2);
    expect(names.name(4242)).toBe('uid:4242');
  });

  it('an unreadable passwd gives uid:N', () => {
    const names = new UserNames(() => ({ ok: false, error: { code: 'VIGIE_PROC_READ', message: 'EACCES' } }));
    expect(names.name(0)).toBe('uid:0');
  });
});
