/** Pure parser of /etc/passwd: uid -> user name. */

/**
 * Lines are `name:password:uid:gid:gecos:home:shell`. Comments, blank lines, NIS `+`/`-` entries
 * and malformed lines are skipped. When a uid appears twice the first entry wins, as getpwuid()
 * does.
 */
export function parsePasswd(text: string): Map<number, string> {
  const users = new Map<number, string>();
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#') || line.startsWith('+') || line.startsWith('-')) continue;
    const fields = line.split(':');
    if (fields.length < 4) continue;
    const name = fields[0] ?? '';
    const uidText = fields[2] ?? '';
    if (name === '' || !/^\d+$/.test(uidText)) continue;
    const uid = Number(uidText);
    if (!users.has(uid)) users.set(uid, name);
  }
  return users;
}
