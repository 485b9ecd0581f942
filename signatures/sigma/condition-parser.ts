/**
 * Sigma conditions: a tokenizer and a recursive-descent parser.
 *
 *   expr    := and ('or' and)*
 *   and     := unary ('and' unary)*
 *   unary   := 'not' unary | primary
 *   primary := '(' expr ')' | quant 'of' (pattern | 'them') | identifier
 *   quant   := '1' | 'any' | 'all'
 *
 * so `not` binds tighter than `and`, and `and` tighter than `or`. Keywords are case-insensitive.
 * Aggregations (`| count() by x > 5`) and `near` are recognised so that they are reported as
 * unsupported rather than as syntax errors.
 */

export type Cond =
  | { k: 'id'; name: string; col: number }
  | { k: 'of'; quant: 'any' | 'all'; pattern: string; col: number }
  | { k: 'not'; arg: Cond }
  | { k: 'and' | 'or'; args: Cond[] };

export type CondResult =
  | { ok: true; cond: Cond }
  | { ok: false; unsupported: boolean; message: string };

export type TokenKind = 'lparen' | 'rparen' | 'pipe' | 'word';
export interface Token {
  kind: TokenKind;
  text: string;
  /** 1-based column in the condition text. */
  col: number;
}

const KEYWORDS = new Set(['and', 'or', 'not', 'of', 'them', 'near']);

export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  const re = /\s+|(\()|(\))|(\|)|([^\s()|]+)/gy;
  for (let m = re.exec(text); m !== null && m[0] !== ''; m = re.exec(text)) {
    const col = m.index + 1;
    if (m[1] !== undefined) tokens.push({ kind: 'lparen', text: '(', col });
    else if (m[2] !== undefined) tokens.push({ kind: 'rparen', text: ')', col });
    else if (m[3] !== undefined) tokens.push({ kind: 'pipe', text: '|', col });
    else if (m[4] !== undefined) tokens.push({ kind: 'word', text: m[4], col });
  }
  return tokens;
}

export function parseCondition(text: string): CondResult {
  const tokens = tokenize(text);
  let pos = 0;
  // The first error stops the parse: every parse function then returns undefined up the stack.
  let error: { message: string; unsupported: boolean } | undefined;
  const peek = (): Token | undefined => tokens[pos];
  const isWord = (t: Token | undefined, word: string): boolean => t?.kind === 'word' && t.text.toLowerCase() === word;
  const fail = (message: string, unsupported = false): undefined => {
    error ??= { message, unsupported };
    return undefined;
  };
  const where = (t: Token | undefined): string => (t === undefined ? 'at the end' : `at column ${t.col} ('${t.text}')`);

  const parseJunction = (k: 'and' | 'or', operand: () => Cond | undefined): Cond | undefined => {
    const first = operand();
    if (first === undefined) return undefined;
    const args = [first];
    while (isWord(peek(), k)) {
      pos++;
      const next = operand();
      if (next === undefined) return undefined;
      args.push(next);
    }
    return args.length === 1 ? first : { k, args };
  };
  const parseOr = (): Cond | undefined => parseJunction('or', parseAnd);
  const parseAnd = (): Cond | undefined => parseJunction('and', parseUnary);
  const parseUnary = (): Cond | undefined => {
    if (!isWord(peek(), 'not')) return parsePrimary();
    pos++;
    const arg = parseUnary();
    return arg === undefined ? undefined : { k: 'not', arg };
  };
  const parsePrimary = (): Cond | undefined => {
    const t = peek();
    if (t === undefined) return fail('condition ends where an identifier was expected');
    if (t.kind === 'lparen') {
      pos++;
      const inner = parseOr();
      if (inner === undefined) return undefined;
      if (peek()?.kind !== 'rparen') return fail(`expected ')' ${where(peek())}`);
      pos++;
      return inner;
    }
    if (t.kind === 'pipe') return fail(`aggregation ('| ...' ${where(t)}) is not supported`, true);
    if (t.kind !== 'word') return fail(`unexpected ${where(t)}`);
    const lower = t.text.toLowerCase();
    if (isWord(tokens[pos + 1], 'of')) return parseQuantifier(t, lower);
    if (KEYWORDS.has(lower)) return fail(`unexpected keyword ${where(t)}`, lower === 'near');
    pos++;
    return { k: 'id', name: t.text, col: t.col };
  };
  const parseQuantifier = (t: Token, lower: string): Cond | undefined => {
    pos += 2;
    const target = peek();
    const targetLower = target?.text.toLowerCase() ?? '';
    if (target?.kind !== 'word' || (KEYWORDS.has(targetLower) && targetLower !== 'them')) {
      return fail(`expected a search identifier, a pattern or 'them' after 'of' ${where(target)}`);
    }
    pos++;
    const pattern = targetLower === 'them' ? 'them' : target.text;
    if (lower === '1' || lower === 'any') return { k: 'of', quant: 'any', pattern, col: t.col };
    if (lower === 'all') return { k: 'of', quant: 'all', pattern, col: t.col };
    if (/^\d+$/.test(lower)) return fail(`'${t.text} of' is not supported (only '1 of', 'any of' and 'all of')`, true);
    return fail(`expected '1', 'any' or 'all' before 'of' ${where(t)}`);
  };

  if (tokens.length === 0) return { ok: false, unsupported: false, message: 'empty condition' };
  const cond = parseOr();
  const rest = peek();
  if (cond !== undefined && rest !== undefined) {
    if (rest.kind === 'pipe') fail(`aggregation ('| ...' ${where(rest)}) is not supported`, true);
    else if (isWord(rest, 'near')) fail(`'near' ${where(rest)} is not supported`, true);
    else fail(`unexpected ${where(rest)}`);
  }
  if (error !== undefined || cond === undefined) {
    return { ok: false, unsupported: error?.unsupported ?? false, message: error?.message ?? 'invalid condition' };
  }
  return { ok: true, cond };
}
