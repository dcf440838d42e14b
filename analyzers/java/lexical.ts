/**
 * Facts for the lines of a Java file that do not parse (a merge conflict, a truncated file, syntax
 * newer than the grammar): a token-level approximation over the text with comments blanked out.
 * tree-sitter recovers from an error by guessing, and around a merge conflict its guess loses the
 * calls in both halves (`Runtime.getRuntime().exec(…)` becomes a local variable and a bare `exec`),
 * so the damaged lines take these facts instead (parse.ts) and the rules still see the imports,
 * `new`, calls, annotations and literals there. Less precise than the tree walk (no scopes:
 * declarations anywhere in the file count), which is why the file is also reported in `errors`.
 */
import { emptyFacts, isOwnImport, keyLike, MUTATORS, returnTypeOf, TypeResolver, unquote, type ArgFact, type JavaFacts, type LiteralContext } from './facts.js';
import { positionAt } from '../common/position.js';

interface Lit {
  start: number;
  end: number;
  image: string;
}

/** Blanks comments (keeping newlines and offsets) and collects string literals. */
export function stripComments(text: string): { code: string; literals: Lit[] } {
  const out = text.split('');
  const literals: Lit[] = [];
  let i = 0;
  const n = text.length;
  while (i < n) {
    const c = text[i]!;
    const d = text[i + 1];
    if (c === '/' && d === '/') {
      while (i < n && text[i] !== '\n' && text[i] !== '\r') out[i++] = ' ';
    } else if (c === '/' && d === '*') {
      const end = text.indexOf('*/', i + 2);
      const stop = end < 0 ? n : end + 2;
      for (; i < stop; i++) if (text[i] !== '\n' && text[i] !== '\r') out[i] = ' ';
    } else if (c === '"') {
      const block = text.startsWith('"""', i);
      let j = i + (block ? 3 : 1);
      while (j < n) {
        if (text[j] === '\\') j += 2;
        else if (block ? text.startsWith('"""', j) : text[j] === '"') break;
        else if (!block && text[j] === '\n') break;
        else j++;
      }
      const end = Math.min(n, j + (block ? 3 : 1));
      literals.push({ start: i, end, image: text.slice(i, end) });
      i = end;
    } else if (c === "'") {
      const j = text.indexOf("'", i + (text[i + 1] === '\\' ? 3 : 2));
      i = j < 0 ? i + 1 : j + 1;
    } else i++;
  }
  return { code: out.join(''), literals };
}

/** `(…)` right after an annotation name, matched in place (sticky) rather than on a copy of the rest of the file. */
const ANNOTATION_ARGS = /\s*\(([^)]{0,300})\)/y;

const KEYWORDS = new Set(['if', 'for', 'while', 'switch', 'catch', 'return', 'new', 'synchronized', 'super', 'this', 'throw', 'else', 'try', 'do', 'assert']);

export function lexicalFacts(text: string): JavaFacts {
  const facts = emptyFacts(true);
  const { code, literals } = stripComments(text);
  const lineStarts = [0];
  for (let i = 0; i < text.length; i++) if (text[i] === '\n') lineStarts.push(i + 1);
  const pos = (offset: number) => positionAt(lineStarts, offset);
  // (lastIndexOf('\n') would scan back to the file's start on every call in a file without newlines)
  const lineStart = (offset: number) => lineStarts[pos(offset).line - 1]!;
  // Identifiers inside literals must not look like code: blank them for the structural regexes.
  const chars = code.split('');
  for (const l of literals) for (let i = l.start; i < l.end; i++) if (chars[i] !== '\n') chars[i] = '"';
  const bare = chars.join('');

  const pkg = /^\s*package\s+([\w.]+)\s*;/m.exec(bare);
  if (pkg) facts.package = pkg[1]!;
  const resolver = new TypeResolver(facts.package);
  for (const m of bare.matchAll(/^[ \t]*import\s+(static\s+)?([\w.]+?)(\.\*)?\s*;/gm)) {
    const isStatic = !!m[1];
    const onDemand = !!m[3];
    facts.imports.push({ name: onDemand ? `${m[2]}.*` : m[2]!, static: isStatic, onDemand, own: isOwnImport(m[2]!, facts.package), ...pos(m.index + m[0].indexOf('import')) });
    resolver.addImport(m[2]!, isStatic, onDemand);
  }
  for (const m of bare.matchAll(/\b(?:class|interface|enum|record)\s+([A-Za-z_$][\w$]*)/g)) resolver.declare(m[1]!, facts.package ? `${facts.package}.${m[1]}` : m[1]!);

  const vars = new Map<string, { types: string[]; init?: string }>();
  // Bounded repetitions throughout: a broken file must not make a regex scan to its end per match.
  for (const m of bare.matchAll(/\b([A-Z][\w$]*(?:\.[A-Z][\w$]*)*)\s*(?:<[^;(){}=]{0,200}?>)?\s*(?:\[\s*\])*\s+([A-Za-z_$][\w$]*)\s*(=[^;]{0,400};|=|[;,):])/g)) {
    const v: { types: string[]; init?: string } = { types: resolver.resolve(m[1]!) };
    if (m[3]!.length > 1) v.init = m[3]!.slice(1, -1).trim().slice(0, 300);
    vars.set(m[2]!, v);
    const p = pos(m.index);
    facts.typeRefs.push({ types: v.types, ...p });
    const before = bare.slice(Math.max(0, m.index - 300, lineStart(m.index) - 1), m.index);
    // A declaration at class-body indentation preceded by a modifier is taken as a field.
    if (/^\s*((public|protected|private|static|final|transient|volatile)\s+|@[\w.]+(\([^)]*\))?\s+)+$/.test(before)) {
      const annotations = [...before.matchAll(/@([\w.]+)/g)].flatMap((a) => resolver.resolve(a[1]!));
      const eol = lineStart(m.index) - 1;
      const prev = eol < 0 ? '' : bare.slice(Math.max(0, eol - 300, lineStart(eol) - 1), eol);
      for (const a of prev.matchAll(/^\s*@([\w.]+)/gm)) annotations.push(...resolver.resolve(a[1]!));
      facts.fields.push({ name: m[2]!, types: v.types, static: /\bstatic\b/.test(before), final: /\bfinal\b/.test(before), ...pos(m.index + m[0].indexOf(m[2]!, m[1]!.length)), ...(v.init ? { init: v.init } : {}), mutations: 0, annotations });
    }
  }

  for (const m of bare.matchAll(/\(\s*([A-Z][\w$.]*)\s*(?:<[^()]{0,200}>)?\s*\)\s*[\w(]/g)) facts.casts.push({ types: resolver.resolve(m[1]!), ...pos(m.index + m[0].indexOf(m[1]!)) });
  for (const m of bare.matchAll(/@([A-Za-z_$][\w$.]*)/g)) {
    if (m[1] === 'interface') continue;
    ANNOTATION_ARGS.lastIndex = m.index + m[0].length;
    const after = ANNOTATION_ARGS.exec(bare);
    facts.annotations.push({ types: resolver.resolve(m[1]!), attrs: after ? { value: after[1]!.trim() } : {}, ...pos(m.index) });
  }
  for (const m of bare.matchAll(/\b(class|interface)\s+[\w$]+\s*(?:<[^{]{0,200}?>)?\s*(?:extends\s+([\w$.<>,\s]{1,400}?))?\s*(?:implements\s+([\w$.<>,\s]{1,400}?))?\s*\{/g)) {
    for (const [kind, list] of [['extends', m[2]], ['implements', m[3]]] as const) {
      if (!list) continue;
      for (const t of list.replace(/<[^>]*>/g, '').split(',')) {
        const name = t.trim();
        if (!name) continue;
        facts.inherits.push({ types: resolver.resolve(name), kind: m[1] === 'interface' ? 'extends' : kind, ...pos(m.index + m[0].indexOf(name)) });
      }
    }
  }
  for (const m of bare.matchAll(/\bnative\b[^;{}()=]{0,300}?\b([A-Za-z_$][\w$]*)\s*\(/g)) facts.natives.push({ name: m[1]!, ...pos(m.index + m[0].lastIndexOf(m[1]!)) });

  const litCtx = new Map<number, LiteralContext>();
  // literals are in source order: binary search for the first one starting at or after an offset
  const firstLiteralAt = (offset: number) => {
    let lo = 0;
    let hi = literals.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (literals[mid]!.start < offset) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  const argsAt = (open: number, ctx: (i: number, key?: string) => LiteralContext): { args: ArgFact[]; close: number } => {
    let depth = 0;
    let start = open + 1;
    const spans: Array<[number, number]> = [];
    let i = open;
    const limit = Math.min(bare.length, open + 1000);
    for (; i < limit; i++) {
      const c = bare[i];
      if (c === '(' || c === '[' || c === '{') depth++;
      else if (c === ')' || c === ']' || c === '}') {
        depth--;
        if (depth === 0) break;
      } else if (c === ',' && depth === 1) {
        spans.push([start, i]);
        start = i + 1;
        if (spans.length >= 64) break;
      } else if (c === ';' && depth <= 1) break;
    }
    if (text.slice(start, i).trim()) spans.push([start, i]);
    const args = spans.map(([s, e]) => {
      const t = text.slice(s, e).trim();
      const a: ArgFact = { text: t.slice(0, 300) };
      if (/^"(?:[^"\\\n]|\\.)*"$/.test(t)) {
        a.literal = unquote(t);
        a.types = ['java.lang.String'];
      } else if (vars.has(t)) {
        const v = vars.get(t)!;
        if (v.init !== undefined) a.init = v.init;
        a.types = v.types;
      }
      return a;
    });
    const key = keyLike(args[0]?.literal);
    spans.forEach(([s, e], idx) => {
      for (let k = firstLiteralAt(s); k < literals.length && literals[k]!.start < e; k++) {
        const l = literals[k]!;
        if (l.end <= e && !litCtx.has(l.start)) litCtx.set(l.start, ctx(idx, idx > 0 ? key : undefined));
      }
    });
    return { args, close: i };
  };

  for (const m of bare.matchAll(/\bnew\s+([A-Za-z_$][\w$.]*)\s*(?:<[^;(){}]{0,200}>)?\s*\(/g)) {
    const types = resolver.resolve(m[1]!);
    const { args, close } = argsAt(m.index + m[0].length - 1, (index, key) => ({ kind: 'new', types, index, ...(key ? { name: key } : {}) }));
    facts.news.push({ types, args, ...pos(m.index), endLine: pos(close).line });
  }
  // The receiver chain is read backwards from each `name(` by hand: a regex with a repeated
  // `.segment` group backtracks cubically on long dotted runs in a broken file.
  const receiverBefore = (at: number): string | undefined => {
    const segs: string[] = [];
    let j = at - 1;
    const ws = () => {
      while (j >= 0 && (bare[j] === ' ' || bare[j] === '\t' || bare[j] === '\n' || bare[j] === '\r')) j--;
    };
    ws();
    if (bare[j] !== '.') return undefined;
    j--;
    for (let n = 0; n < 16; n++) {
      ws();
      let call = '';
      if (bare[j] === ')') {
        let k = j - 1;
        while (k >= 0 && (bare[k] === ' ' || bare[k] === '\t')) k--;
        if (bare[k] !== '(') break;
        call = '()';
        j = k - 1;
        ws();
      }
      const end = j + 1;
      while (j >= 0 && /[\w$]/.test(bare[j]!)) j--;
      const id = bare.slice(j + 1, end);
      if (!/^[A-Za-z_$]/.test(id)) break;
      segs.unshift(id + call);
      ws();
      if (bare[j] !== '.') break;
      j--;
    }
    if (segs.length === 0) return undefined;
    // only the last segment may be a call: `a.b.getX()`, as the former regex required
    let first = -1;
    for (let k = 0; k < segs.length - 1; k++) if (segs[k]!.endsWith('()')) first = k;
    return segs.slice(first + 1).join('.');
  };
  for (const m of bare.matchAll(/\b([A-Za-z_$][\w$]*)\s*\(/g)) {
    const method = m[1]!;
    if (KEYWORDS.has(method) || /\bnew\s+$/.test(bare.slice(Math.max(0, m.index - 8), m.index))) continue;
    const recv = receiverBefore(m.index);
    let types: string[] = [];
    let isStatic = false;
    let receiverName: string | undefined;
    let receiverCall: string | undefined;
    if (recv) {
      const chain = recv.split('.');
      const last = chain[chain.length - 1]!;
      if (last.endsWith('()')) {
        receiverCall = last.slice(0, -2);
        const head = chain.slice(0, -1).join('.');
        const headTypes = vars.get(head)?.types ?? (/^[A-Z]/.test(head) ? resolver.resolve(head) : []);
        types = returnTypeOf(headTypes, receiverCall);
      } else if (chain.length === 1 && vars.has(last)) {
        types = vars.get(last)!.types;
        receiverName = last;
      } else if (/^[A-Z]/.test(chain[0]!) || /^[a-z]+(\.[a-z]+)+\.[A-Z]/.test(recv)) {
        types = resolver.resolve(recv);
        isStatic = true;
      } else receiverName = last;
    } else {
      const owner = resolver.staticOwner(method);
      if (owner.length) {
        types = owner;
        isStatic = true;
      }
    }
    const at = m.index + m[0].lastIndexOf(method);
    const { args, close } = argsAt(m.index + m[0].length - 1, (index, key) => ({ kind: 'arg', method, types, index, ...(key ? { name: key } : {}) }));
    const call: JavaFacts['calls'][number] = { method, types, isStatic, args, ...pos(at), endLine: pos(close).line };
    if (receiverName) call.receiverName = receiverName;
    if (receiverCall) call.receiverCall = receiverCall;
    if (recv) call.receiverText = vars.get(recv)?.init ? `${recv} = ${vars.get(recv)!.init}` : recv;
    facts.calls.push(call);
    if (receiverName && MUTATORS.has(method)) {
      const f = facts.fields.find((x) => x.name === receiverName);
      if (f) f.mutations++;
    }
  }
  for (const l of literals) {
    let ctx = litCtx.get(l.start);
    if (!ctx) {
      const before = bare.slice(Math.max(0, l.start - 200), l.start);
      const assign = /([A-Za-z_$][\w$]*)\s*=\s*$/.exec(before);
      const ret = /\breturn\s*$/.test(before);
      ctx = assign ? { kind: 'assign', name: assign[1]! } : ret ? { kind: 'return' } : { kind: 'other' };
    }
    const p = pos(l.start);
    facts.literals.push({ value: unquote(l.image), ...p, endLine: pos(l.end - 1).line, ctx });
  }
  return facts;
}
