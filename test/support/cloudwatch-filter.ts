// CloudWatch Logs filter patterns, the subset the test server understands:
//   JSON patterns  { $.event = "epoch_end" }, { ($.a = "x") || ($.b != 2) && $.c > 1 },
//                  { $.x IS NULL | IS TRUE | IS FALSE | NOT EXISTS | EXISTS }, "*" wildcards in strings;
//   term patterns  ERROR, "epoch end" (quoted phrase), several terms (all must match),
//                  ?a ?b (any of), -term (must not appear). Terms are case-sensitive, like the service.
// Space-delimited [w1, w2] patterns are refused with InvalidParameterException rather than
// being matched wrongly.

export type Matcher = (message: string) => boolean;

export class FilterPatternError extends Error {}

export function compileFilterPattern(pattern: string | undefined): Matcher {
  const p = (pattern ?? '').trim();
  if (p === '') return () => true;
  if (p.startsWith('{')) return compileJson(p);
  if (p.startsWith('[')) throw new FilterPatternError('space-delimited filter patterns are not supported by the test server');
  return compileTerms(p);
}

// ---------------------------------------------------------------------------
// Term patterns

function compileTerms(p: string): Matcher {
  const tokens = p.match(/-?\??"(?:[^"\\]|\\.)*"|\S+/g) ?? [];
  const must: string[] = [];
  const any: string[] = [];
  const not: string[] = [];
  for (const raw of tokens) {
    let t = raw;
    let list = must;
    if (t.startsWith('-')) { list = not; t = t.slice(1); }
    else if (t.startsWith('?')) { list = any; t = t.slice(1); }
    if (t.startsWith('"')) {
      if (!t.endsWith('"') || t.length < 2) throw new FilterPatternError('Invalid filter pattern: unterminated quote');
      t = t.slice(1, -1).replace(/\\(.)/g, '$1');
    }
    if (t === '') throw new FilterPatternError('Invalid filter pattern: empty term');
    list.push(t);
  }
  return (m) =>
    must.every((t) => m.includes(t)) &&
    (any.length === 0 || any.some((t) => m.includes(t))) &&
    !not.some((t) => m.includes(t));
}

// ---------------------------------------------------------------------------
// JSON patterns: a small recursive-descent parser over tokens.

type Value = string | number | boolean | null;
type Node =
  | { kind: 'and' | 'or'; left: Node; right: Node }
  | { kind: 'cmp'; path: string[]; op: string; value: Value }
  | { kind: 'is'; path: string[]; what: 'NULL' | 'TRUE' | 'FALSE' | 'NOT EXISTS' | 'EXISTS' };

const TOKEN = /\s*(\|\||&&|!=|>=|<=|=|<|>|\(|\)|\$(?:\.[A-Za-z_][\w-]*|\[\d+\])+|"(?:[^"\\]|\\.)*"|-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?|IS\s+NOT\s+EXISTS|IS\s+NULL|IS\s+TRUE|IS\s+FALSE|NOT\s+EXISTS|EXISTS|[A-Za-z_*][\w*.-]*)/y;

function tokenize(s: string): string[] {
  const out: string[] = [];
  TOKEN.lastIndex = 0;
  let pos = 0;
  while (pos < s.length) {
    if (/^\s*$/.test(s.slice(pos))) break;
    TOKEN.lastIndex = pos;
    const m = TOKEN.exec(s);
    if (!m || m[1] === undefined) throw new FilterPatternError(`Invalid filter pattern near "${s.slice(pos, pos + 20)}"`);
    out.push(m[1]);
    pos = TOKEN.lastIndex;
  }
  return out;
}

function compileJson(p: string): Matcher {
  if (!p.endsWith('}')) throw new FilterPatternError('Invalid filter pattern: missing closing brace');
  const tokens = tokenize(p.slice(1, -1));
  let i = 0;
  const peek = (): string | undefined => tokens[i];
  const next = (): string => {
    const t = tokens[i++];
    if (t === undefined) throw new FilterPatternError('Invalid filter pattern: unexpected end');
    return t;
  };
  const parseOr = (): Node => {
    let left = parseAnd();
    while (peek() === '||') { i++; left = { kind: 'or', left, right: parseAnd() }; }
    return left;
  };
  const parseAnd = (): Node => {
    let left = parseAtom();
    while (peek() === '&&') { i++; left = { kind: 'and', left, right: parseAtom() }; }
    return left;
  };
  const parseAtom = (): Node => {
    const t = next();
    if (t === '(') {
      const inner = parseOr();
      if (next() !== ')') throw new FilterPatternError('Invalid filter pattern: missing )');
      return inner;
    }
    if (!t.startsWith('$')) throw new FilterPatternError(`Invalid filter pattern: expected a $. selector, got ${t}`);
    const path = [...t.matchAll(/\.([A-Za-z_][\w-]*)|\[(\d+)\]/g)].map((m) => (m[1] ?? m[2]) as string);
    const op = next();
    if (/^(IS\s+)?(NULL|TRUE|FALSE|NOT\s+EXISTS|EXISTS)$/.test(op) || op.startsWith('IS')) {
      const what = op.replace(/^IS\s+/, '').replace(/\s+/g, ' ') as 'NULL' | 'TRUE' | 'FALSE' | 'NOT EXISTS' | 'EXISTS';
      return { kind: 'is', path, what };
    }
    if (!['=', '!=', '<', '>', '<=', '>='].includes(op)) throw new FilterPatternError(`Invalid filter pattern: bad operator ${op}`);
    return { kind: 'cmp', path, op, value: literal(next()) };
  };
  const tree = parseOr();
  if (i !== tokens.length) throw new FilterPatternError(`Invalid filter pattern: unexpected ${tokens[i]}`);
  return (message) => {
    let doc: unknown;
    try { doc = JSON.parse(message); } catch { return false; }
    return evaluate(tree, doc);
  };
}

function literal(t: string): Value {
  if (t.startsWith('"')) return JSON.parse(t) as string;
  if (/^-?\d/.test(t)) return Number(t);
  return t; // unquoted string, may hold * wildcards
}

function lookup(doc: unknown, path: string[]): { found: boolean; value: unknown } {
  let cur: unknown = doc;
  for (const key of path) {
    if (cur === null || typeof cur !== 'object' || !(key in (cur as object))) return { found: false, value: undefined };
    cur = (cur as Record<string, unknown>)[key];
  }
  return { found: true, value: cur };
}

function evaluate(node: Node, doc: unknown): boolean {
  if ('left' in node) {
    return node.kind === 'and' ? evaluate(node.left, doc) && evaluate(node.right, doc) : evaluate(node.left, doc) || evaluate(node.right, doc);
  }
  const { found, value } = lookup(doc, node.path);
  if (!('op' in node)) {
    if (node.what === 'NOT EXISTS') return !found;
    if (node.what === 'EXISTS') return found;
    if (node.what === 'NULL') return found && value === null;
    return found && value === (node.what === 'TRUE');
  }
  if (!found) return false;
  const want = node.value;
  if (typeof want === 'number') {
    if (typeof value !== 'number') return false;
    switch (node.op) {
      case '=': return value === want;
      case '!=': return value !== want;
      case '<': return value < want;
      case '>': return value > want;
      case '<=': return value <= want;
      default: return value >= want;
    }
  }
  if (node.op !== '=' && node.op !== '!=') return false;
  const text = typeof value === 'string' ? value : typeof value === 'boolean' || typeof value === 'number' ? String(value) : null;
  const eq = text !== null && wildcard(String(want)).test(text);
  return node.op === '=' ? eq : !eq;
}

function wildcard(s: string): RegExp {
  return new RegExp(`^${s.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`, 's');
}
