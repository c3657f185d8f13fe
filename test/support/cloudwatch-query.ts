// The subset of the CloudWatch Logs Insights query language the test server runs, parsed
// strictly: what it does not know is a MalformedQueryException, never a silent match-all
// (moto's Insights ignores filter and returns everything, which hides bugs; DESIGN.md).
//
//   query   := command ('|' command)*
//   command := 'fields' field (',' field)* | 'filter' expr | 'sort' field ['asc'|'desc'] | 'limit' N
//   expr    := and ('or' and)* ;  and := unary ('and' unary)*
//   unary   := 'not' unary | '(' expr ')' | field ['not'] 'like' /regex/ | field ('='|'!=') "string"
//            | 'ispresent' '(' field ')'
//   field   := @timestamp @message @logStream @log @ingestionTime @ptr, or a JSON field discovered
//              in the message (event, run_id, config.model)
//
// Commands are applied in order: several filters all hold; sort is by @timestamp only.

export class QueryError extends Error {}

export interface Row { timestamp: number; ingestionTime: number; message: string; stream: string; group: string; ptr: string }

export interface Query {
  fields: string[];
  match: (row: Row) => boolean;
  order: 'asc' | 'desc';
  limit: number | undefined;
}

type Tok = { k: 'word' | 'str' | 're' | 'num' | 'p'; v: string };

const MAX_LIMIT = 10_000;

function tokenize(q: string): Tok[] {
  const out: Tok[] = [];
  let i = 0;
  while (i < q.length) {
    const c = q[i]!;
    if (/\s/.test(c)) { i++; continue; }
    if (c === '|' || c === ',' || c === '(' || c === ')') { out.push({ k: 'p', v: c }); i++; continue; }
    if (c === '=' ) { out.push({ k: 'p', v: '=' }); i++; continue; }
    if (c === '!' && q[i + 1] === '=') { out.push({ k: 'p', v: '!=' }); i += 2; continue; }
    if (c === '"' || c === "'" || c === '/') {
      let j = i + 1;
      let v = '';
      while (j < q.length && q[j] !== c) {
        if (q[j] === '\\' && j + 1 < q.length) { v += c === '/' && q[j + 1] !== '/' ? q.slice(j, j + 2) : q[j + 1]; j += 2; continue; }
        v += q[j++];
      }
      if (j >= q.length) throw new QueryError(`unterminated ${c === '/' ? 'regular expression' : 'string'} at position ${i}`);
      out.push({ k: c === '/' ? 're' : 'str', v });
      i = j + 1;
      continue;
    }
    const m = /^[@A-Za-z_][\w.@-]*|^\d+/.exec(q.slice(i));
    if (!m) throw new QueryError(`unexpected character ${JSON.stringify(c)} at position ${i}`);
    out.push({ k: /^\d/.test(m[0]) ? 'num' : 'word', v: m[0] });
    i += m[0].length;
  }
  return out;
}

/** Parses a query string; throws QueryError (→ MalformedQueryException) for anything outside the subset. */
export function parseQuery(text: string): Query {
  const toks = tokenize(text);
  let p = 0;
  const peek = (): Tok | undefined => toks[p];
  const next = (what: string): Tok => {
    const t = toks[p++];
    if (!t) throw new QueryError(`expected ${what} at the end of the query`);
    return t;
  };
  const expect = (k: Tok['k'], v?: string): Tok => {
    const t = next(v ?? k);
    if (t.k !== k || (v !== undefined && t.v !== v)) throw new QueryError(`expected ${v ?? k}, found ${JSON.stringify(t.v)}`);
    return t;
  };
  const field = (): string => {
    const t = expect('word');
    if (t.v.startsWith('@') && !SYSTEM_FIELDS.has(t.v)) throw new QueryError(`unknown system field ${t.v}`);
    return t.v;
  };
  const regex = (src: string): RegExp => {
    try { return new RegExp(src); } catch { throw new QueryError(`invalid regular expression /${src}/`); }
  };

  function unary(): (r: Row) => boolean {
    const t = peek();
    if (t?.k === 'word' && t.v === 'not') { p++; const inner = unary(); return (r) => !inner(r); }
    if (t?.k === 'p' && t.v === '(') { p++; const inner = expr(); expect('p', ')'); return inner; }
    if (t?.k === 'word' && t.v === 'ispresent') {
      p++; expect('p', '('); const f = field(); expect('p', ')');
      return (r) => valueOf(r, f) !== undefined;
    }
    const f = field();
    const op = next('an operator');
    if (op.k === 'word' && (op.v === 'like' || op.v === 'not')) {
      const negate = op.v === 'not';
      if (negate) expect('word', 'like');
      const t2 = next('a regular expression');
      if (t2.k !== 're') throw new QueryError(`like takes a /regular expression/ in this server, found ${JSON.stringify(t2.v)}`);
      const re = regex(t2.v);
      return (r) => { const v = valueOf(r, f); return v !== undefined && re.test(v) !== negate; };
    }
    if (op.k === 'p' && (op.v === '=' || op.v === '!=')) {
      const s = expect('str').v;
      return op.v === '=' ? (r) => valueOf(r, f) === s : (r) => valueOf(r, f) !== s;
    }
    throw new QueryError(`unsupported operator ${JSON.stringify(op.v)} after ${f}`);
  }
  function and(): (r: Row) => boolean {
    const parts = [unary()];
    while (peek()?.k === 'word' && peek()!.v === 'and') { p++; parts.push(unary()); }
    return parts.length === 1 ? parts[0]! : (r) => parts.every((f) => f(r));
  }
  function expr(): (r: Row) => boolean {
    const parts = [and()];
    while (peek()?.k === 'word' && peek()!.v === 'or') { p++; parts.push(and()); }
    return parts.length === 1 ? parts[0]! : (r) => parts.some((f) => f(r));
  }

  let fields: string[] | undefined;
  const filters: ((r: Row) => boolean)[] = [];
  let order: 'asc' | 'desc' = 'desc';
  let limit: number | undefined;
  if (!toks.length) throw new QueryError('the query is empty');
  for (;;) {
    const cmd = expect('word');
    if (cmd.v === 'fields') {
      fields = [...(fields ?? []), field()];
      while (peek()?.k === 'p' && peek()!.v === ',') { p++; fields.push(field()); }
    } else if (cmd.v === 'filter') {
      filters.push(expr());
    } else if (cmd.v === 'sort') {
      const f = field();
      if (f !== '@timestamp') throw new QueryError(`this server sorts by @timestamp only, not ${f}`);
      const dir = peek();
      if (dir?.k === 'word' && (dir.v === 'asc' || dir.v === 'desc')) { order = dir.v; p++; }
    } else if (cmd.v === 'limit') {
      const n = Number(expect('num').v);
      if (n < 1 || n > MAX_LIMIT) throw new QueryError(`limit must be between 1 and ${MAX_LIMIT}`);
      limit = Math.min(limit ?? n, n);
    } else {
      throw new QueryError(`unsupported command ${JSON.stringify(cmd.v)}`);
    }
    if (p === toks.length) break;
    expect('p', '|');
  }
  return { fields: fields ?? ['@timestamp', '@message'], match: (r) => filters.every((f) => f(r)), order, limit };
}

const SYSTEM_FIELDS = new Set(['@timestamp', '@message', '@logStream', '@log', '@ingestionTime', '@ptr']);

/** A field's value as Insights shows it (strings); JSON fields are discovered from the message. */
export function valueOf(r: Row, f: string): string | undefined {
  switch (f) {
    case '@message': return r.message;
    case '@logStream': return r.stream;
    case '@timestamp': return insightsTime(r.timestamp);
    case '@ingestionTime': return insightsTime(r.ingestionTime);
    case '@log': return `123456789012:${r.group}`;
    case '@ptr': return r.ptr;
  }
  if (!r.message.startsWith('{')) return undefined;
  let v: unknown;
  try { v = JSON.parse(r.message); } catch { return undefined; }
  for (const part of f.split('.')) {
    if (typeof v !== 'object' || v === null) return undefined;
    v = (v as Record<string, unknown>)[part];
  }
  return v === undefined || v === null ? undefined : typeof v === 'object' ? JSON.stringify(v) : String(v);
}

/** "2026-11-20 00:00:01.000": Insights prints times in UTC with a space and milliseconds. */
export function insightsTime(ms: number): string {
  return new Date(ms).toISOString().replace('T', ' ').replace('Z', '');
}
