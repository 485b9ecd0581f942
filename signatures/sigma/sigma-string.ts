/**
 * Sigma string values: literal text with `*` (any run of characters) and `?` (one character)
 * wildcards. Escaping follows the Sigma specification (and pySigma): a backslash escapes only `*`,
 * `?` and a backslash; before any other character it is a literal backslash, so Windows paths
 * (`C:\Windows\`) need no doubling while `\\` still yields one backslash.
 */

export type Part = { readonly lit: string } | { readonly wild: '*' | '?' };
export type SigmaString = readonly Part[];

export function parseSigmaString(raw: string): SigmaString {
  const parts: Part[] = [];
  let acc = '';
  const flush = (): void => {
    if (acc !== '') parts.push({ lit: acc });
    acc = '';
  };
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i] as string;
    if (c === '\\') {
      const next = raw[i + 1];
      if (next === '*' || next === '?' || next === '\\') {
        acc += next;
        i++;
      } else {
        acc += c;
      }
    } else if (c === '*' || c === '?') {
      flush();
      parts.push({ wild: c });
    } else {
      acc += c;
    }
  }
  flush();
  return parts;
}

/** A plain literal string as a Sigma string (no wildcards). */
export function literal(text: string): SigmaString {
  return text === '' ? [] : [{ lit: text }];
}

export function hasWildcards(s: SigmaString): boolean {
  return s.some((p) => 'wild' in p);
}

/** The literal text of a string without wildcards (callers check `hasWildcards` first). */
export function plainText(s: SigmaString): string {
  return s.map((p) => ('lit' in p ? p.lit : p.wild)).join('');
}

/** Joins adjacent literals so that a string has one canonical form. */
export function normalize(parts: readonly Part[]): SigmaString {
  const out: Part[] = [];
  for (const p of parts) {
    const last = out[out.length - 1];
    if ('lit' in p) {
      if (p.lit === '') continue;
      if (last !== undefined && 'lit' in last) out[out.length - 1] = { lit: last.lit + p.lit };
      else out.push(p);
    } else {
      out.push(p);
    }
  }
  return out;
}

export function startsWithMany(s: SigmaString): boolean {
  const first = s[0];
  return first !== undefined && 'wild' in first && first.wild === '*';
}

export function endsWithMany(s: SigmaString): boolean {
  const last = s[s.length - 1];
  return last !== undefined && 'wild' in last && last.wild === '*';
}

/** Applies `f` to every literal part; wildcards are kept as they are. */
export function mapLiterals(s: SigmaString, f: (lit: string) => string): SigmaString {
  return normalize(s.map((p) => ('lit' in p ? { lit: f(p.lit) } : p)));
}

/** Human-readable form (literal `*` and `?` escaped), for messages. */
export function display(s: SigmaString): string {
  return s.map((p) => ('lit' in p ? p.lit.replace(/[*?]/g, (c) => `\\${c}`) : p.wild)).join('');
}
