/**
 * The Java rules' `match` language: a few declarative patterns over a file's facts, in the spirit of
 * Konveyor's `java.referenced` conditions but evaluated on the facts of one walk.
 *
 * match:
 *   analyzer: java
 *   tokens: [FileOutputStream]        # prefilter literals (engine)
 *   any:   [<pattern>, …]             # each occurrence of any pattern is a match
 *   when:  [<pattern>, …]             # optional: only in files where every one of these occurs
 *   not:   [<pattern>, …]             # optional: nothing in files where any of these occurs
 *
 * patterns (one kind key each, plus an optional `kind:` label — beside the pattern or inside its
 * body — that becomes the `kind` capture):
 *   import: <glob> | {type, own?}             single, on-demand (`javax.ejb.*`) and static imports;
 *                                             `own: false` skips the project's own packages (same first 4 segments)
 *   type: <glob>                              any reference to a type (declarations, casts, generics, static receivers)
 *   cast: <glob>                              a reference-type cast, e.g. `(Queue) ctx.lookup(…)`
 *   annotation: <glob> | {type, attribute?, value?}
 *   extends: <glob>     implements: <glob>
 *   nativeMethod: true
 *   new: <glob> | {type, args?, arg?, unless?, unlessPassedTo?}   (unlessPassedTo: method the object is handed to)
 *   call: {type?, method, static?, receiverCall?, receiver?, unlessReceiver?, inLoop?, args?, arg?, unless?}
 *   literal: {regex?, unless?, name?, unlessName?, unlessMethod?, in?, call?: {type?, method?, index?}, new?: {type, index?}, annotation?, redact?}
 *   field: {type?, name?, unlessName?, static?, final?, mutated?, init?, unlessInit?, annotation?}
 *   staticField: {…}                          a `field` that is static
 *
 * <glob> is a fully qualified name where `*` is one segment, `**` any number, `{javax,jakarta}` an
 * alternative, and `a|b` alternatives. Regexes are JavaScript; a leading `(?i)` means case-insensitive.
 * `method` and `receiverCall` must match the whole name. An `arg`/`unless` condition is
 * `{index?, text?, literal?, type?}`: `text` is tested on the argument's source and, when the argument is a
 * variable declared in the file, on its initializer too — so `new FileOutputStream(tmp)` with
 * `tmp = File.createTempFile(…)` is recognized as a temp file.
 */
import type { Match } from '../../core/index.js';
import type { ArgFact, JavaFacts, LiteralContextKind, Pos } from './facts.js';

type Problems = Array<[string, string]>;

export function compileRegex(source: string): RegExp {
  let flags = '';
  let body = source;
  if (body.startsWith('(?i)')) {
    flags = 'i';
    body = body.slice(4);
  }
  return new RegExp(body, flags);
}

function anchored(source: string): RegExp {
  const r = compileRegex(source);
  return new RegExp(`^(?:${r.source})$`, r.flags);
}

export function compileGlob(glob: string): RegExp {
  const alts = glob.split('|').map((alt) => {
    let out = '';
    for (let i = 0; i < alt.length; i++) {
      const c = alt[i]!;
      if (c === '*' && alt[i + 1] === '*') {
        out += '.*';
        i++;
      } else if (c === '*') out += '[^.]*';
      else if (c === '{') out += '(?:';
      else if (c === '}') out += ')';
      else if (c === ',') out += '|';
      else if (c === '.') out += '\\.';
      else if (c === '$') out += '\\$';
      else out += c;
    }
    return out;
  });
  return new RegExp(`^(?:${alts.join('|')})$`);
}

const GLOB_RE = /^[A-Za-z0-9_$.*{},|]+$/;

interface ArgCond {
  index?: number;
  text?: RegExp;
  literal?: RegExp;
  type?: RegExp;
}

type Compiled =
  | { k: 'import'; glob: RegExp; own?: boolean }
  | { k: 'cast'; glob: RegExp }
  | { k: 'type'; glob: RegExp }
  | { k: 'annotation'; glob: RegExp; attribute?: RegExp; value?: RegExp }
  | { k: 'extends' | 'implements'; glob: RegExp }
  | { k: 'nativeMethod' }
  | { k: 'new'; glob: RegExp; args?: number; arg?: ArgCond; unless?: ArgCond; unlessPassedTo?: RegExp }
  | {
      k: 'call';
      glob?: RegExp;
      method: RegExp;
      static?: boolean;
      receiverCall?: RegExp;
      receiver?: RegExp;
      unlessReceiver?: RegExp;
      inLoop?: boolean;
      args?: number;
      arg?: ArgCond;
      unless?: ArgCond;
    }
  | {
      k: 'literal';
      regex?: RegExp;
      unless?: RegExp;
      name?: RegExp;
      unlessName?: RegExp;
      unlessMethod?: RegExp;
      in?: Set<LiteralContextKind>;
      call?: { glob?: RegExp; method?: RegExp; index?: number };
      newType?: { glob: RegExp; index?: number };
      annotation?: RegExp;
      redact: boolean;
    }
  | {
      k: 'field';
      glob?: RegExp;
      name?: RegExp;
      unlessName?: RegExp;
      static?: boolean;
      final?: boolean;
      mutated?: boolean;
      init?: RegExp;
      unlessInit?: RegExp;
      annotation?: RegExp;
    };

type CompiledPattern = Compiled & { label?: string };

export interface CompiledMatch {
  any: CompiledPattern[];
  when: CompiledPattern[];
  not: CompiledPattern[];
}

const KINDS = ['import', 'type', 'cast', 'annotation', 'extends', 'implements', 'nativeMethod', 'new', 'call', 'literal', 'field', 'staticField'] as const;
const LITERAL_CONTEXTS: LiteralContextKind[] = ['variable', 'field', 'assign', 'arg', 'new', 'annotation', 'return', 'receiver', 'other'];

// ---------------------------------------------------------------- validation

class Checker {
  readonly problems: Problems = [];
  problem(path: string, msg: string): void {
    this.problems.push([path, msg]);
  }
  obj(v: unknown, path: string): v is Record<string, unknown> {
    if (typeof v !== 'object' || v === null || Array.isArray(v)) {
      this.problem(path, 'expected an object');
      return false;
    }
    return true;
  }
  keys(v: Record<string, unknown>, path: string, allowed: string[]): void {
    for (const k of Object.keys(v)) if (!allowed.includes(k)) this.problem(`${path}.${k}`, `unknown key (expected one of: ${allowed.join(', ')})`);
  }
  regex(v: unknown, path: string): void {
    if (typeof v !== 'string' || v === '') return this.problem(path, 'expected a regular expression string');
    try {
      compileRegex(v);
    } catch (e) {
      this.problem(path, `invalid regular expression: ${(e as Error).message}`);
    }
  }
  glob(v: unknown, path: string): void {
    if (typeof v !== 'string' || v === '') return this.problem(path, 'expected a type name or glob such as java.io.FileOutputStream or weblogic.**');
    if (!GLOB_RE.test(v)) return this.problem(path, `"${v}" is not a type glob (letters, digits, ., *, **, {a,b}, a|b)`);
    if ((v.match(/\{/g) ?? []).length !== (v.match(/\}/g) ?? []).length) this.problem(path, 'unbalanced braces');
  }
  bool(v: unknown, path: string): void {
    if (typeof v !== 'boolean') this.problem(path, 'expected true or false');
  }
  index(v: unknown, path: string): void {
    if (!Number.isInteger(v) || (v as number) < 0) this.problem(path, 'expected a non-negative integer');
  }
  argCond(v: unknown, path: string): void {
    if (!this.obj(v, path)) return;
    this.keys(v, path, ['index', 'text', 'literal', 'type']);
    if (v.index !== undefined) this.index(v.index, `${path}.index`);
    if (v.text !== undefined) this.regex(v.text, `${path}.text`);
    if (v.literal !== undefined) this.regex(v.literal, `${path}.literal`);
    if (v.type !== undefined) this.glob(v.type, `${path}.type`);
    if (v.text === undefined && v.literal === undefined && v.type === undefined) this.problem(path, 'needs text, literal or type');
  }

  pattern(p: unknown, path: string): void {
    if (!this.obj(p, path)) return;
    const kinds = Object.keys(p).filter((k) => (KINDS as readonly string[]).includes(k));
    if (kinds.length !== 1) {
      this.problem(path, `a pattern has exactly one of: ${KINDS.join(', ')}`);
      return;
    }
    const kind = kinds[0]!;
    this.keys(p, path, [kind, 'kind']);
    if (p.kind !== undefined && typeof p.kind !== 'string') this.problem(`${path}.kind`, 'expected a string');
    const v = p[kind];
    const at = `${path}.${kind}`;
    if (typeof v === 'object' && v !== null && 'kind' in v && typeof (v as Record<string, unknown>).kind !== 'string') this.problem(`${at}.kind`, 'expected a string');
    switch (kind) {
      case 'import':
        if (typeof v === 'string') this.glob(v, at);
        else if (this.obj(v, at)) {
          this.keys(v, at, ['type', 'own', 'kind']);
          this.glob(v.type, `${at}.type`);
          if (v.own !== undefined) this.bool(v.own, `${at}.own`);
        }
        break;
      case 'type':
      case 'cast':
      case 'extends':
      case 'implements':
        this.glob(v, at);
        break;
      case 'nativeMethod':
        if (v !== true) this.problem(at, 'expected true');
        break;
      case 'annotation':
        if (typeof v === 'string') this.glob(v, at);
        else if (this.obj(v, at)) {
          this.keys(v, at, ['type', 'attribute', 'value', 'kind']);
          this.glob(v.type, `${at}.type`);
          if (v.attribute !== undefined) this.regex(v.attribute, `${at}.attribute`);
          if (v.value !== undefined) this.regex(v.value, `${at}.value`);
        }
        break;
      case 'new':
        if (typeof v === 'string') this.glob(v, at);
        else if (this.obj(v, at)) {
          this.keys(v, at, ['type', 'args', 'arg', 'unless', 'unlessPassedTo', 'kind']);
          this.glob(v.type, `${at}.type`);
          if (v.unlessPassedTo !== undefined) this.regex(v.unlessPassedTo, `${at}.unlessPassedTo`);
          if (v.args !== undefined) this.index(v.args, `${at}.args`);
          if (v.arg !== undefined) this.argCond(v.arg, `${at}.arg`);
          if (v.unless !== undefined) this.argCond(v.unless, `${at}.unless`);
        }
        break;
      case 'call':
        if (this.obj(v, at)) {
          this.keys(v, at, ['type', 'method', 'static', 'receiverCall', 'receiver', 'unlessReceiver', 'inLoop', 'args', 'arg', 'unless', 'kind']);
          if (v.inLoop !== undefined) this.bool(v.inLoop, `${at}.inLoop`);
          if (v.type !== undefined) this.glob(v.type, `${at}.type`);
          this.regex(v.method, `${at}.method`);
          if (v.static !== undefined) this.bool(v.static, `${at}.static`);
          for (const r of ['receiverCall', 'receiver', 'unlessReceiver'] as const) if (v[r] !== undefined) this.regex(v[r], `${at}.${r}`);
          if (v.args !== undefined) this.index(v.args, `${at}.args`);
          if (v.arg !== undefined) this.argCond(v.arg, `${at}.arg`);
          if (v.unless !== undefined) this.argCond(v.unless, `${at}.unless`);
          if (v.type === undefined && v.receiverCall === undefined && v.receiver === undefined && v.arg === undefined) {
            this.problem(at, 'a call pattern needs type, receiverCall, receiver or arg besides method (a bare method name matches any object)');
          }
        }
        break;
      case 'literal':
        if (this.obj(v, at)) {
          this.keys(v, at, ['regex', 'unless', 'name', 'unlessName', 'unlessMethod', 'in', 'call', 'new', 'annotation', 'redact', 'kind']);
          for (const r of ['regex', 'unless', 'name', 'unlessName', 'unlessMethod'] as const) if (v[r] !== undefined) this.regex(v[r], `${at}.${r}`);
          if (v.in !== undefined) {
            if (!Array.isArray(v.in) || v.in.length === 0) this.problem(`${at}.in`, `expected a list of: ${LITERAL_CONTEXTS.join(', ')}`);
            else v.in.forEach((c, i) => !LITERAL_CONTEXTS.includes(c as LiteralContextKind) && this.problem(`${at}.in[${i}]`, `expected one of: ${LITERAL_CONTEXTS.join(', ')}`));
          }
          if (v.call !== undefined && this.obj(v.call, `${at}.call`)) {
            this.keys(v.call, `${at}.call`, ['type', 'method', 'index']);
            if (v.call.type !== undefined) this.glob(v.call.type, `${at}.call.type`);
            if (v.call.method !== undefined) this.regex(v.call.method, `${at}.call.method`);
            if (v.call.index !== undefined) this.index(v.call.index, `${at}.call.index`);
          }
          if (v.new !== undefined && this.obj(v.new, `${at}.new`)) {
            this.keys(v.new, `${at}.new`, ['type', 'index']);
            this.glob(v.new.type, `${at}.new.type`);
            if (v.new.index !== undefined) this.index(v.new.index, `${at}.new.index`);
          }
          if (v.annotation !== undefined) this.glob(v.annotation, `${at}.annotation`);
          if (v.redact !== undefined) this.bool(v.redact, `${at}.redact`);
          if (v.regex === undefined && v.name === undefined && v.call === undefined && v.new === undefined && v.annotation === undefined) {
            this.problem(at, 'a literal pattern needs regex, name, call, new or annotation (it would match every string)');
          }
        }
        break;
      case 'field':
      case 'staticField':
        if (this.obj(v, at)) {
          this.keys(v, at, ['type', 'name', 'unlessName', 'final', 'mutated', 'init', 'unlessInit', 'annotation', 'kind', ...(kind === 'field' ? ['static'] : [])]);
          if (v.type !== undefined) this.glob(v.type, `${at}.type`);
          if (v.annotation !== undefined) this.glob(v.annotation, `${at}.annotation`);
          if (v.static !== undefined) this.bool(v.static, `${at}.static`);
          for (const r of ['name', 'unlessName', 'init', 'unlessInit'] as const) if (v[r] !== undefined) this.regex(v[r], `${at}.${r}`);
          if (v.final !== undefined) this.bool(v.final, `${at}.final`);
          if (v.mutated !== undefined) this.bool(v.mutated, `${at}.mutated`);
        }
        break;
    }
  }
}

export function validateMatch(match: Record<string, unknown>): Problems {
  const c = new Checker();
  c.keys(match, 'match', ['analyzer', 'tokens', 'files', 'scope', 'any', 'when', 'not']);
  if (match.scope === 'project') c.problem('match.scope', 'the java analyzer has no project-level rules');
  if (!Array.isArray(match.any) || match.any.length === 0) c.problem('match.any', 'is required: a non-empty list of patterns');
  for (const key of ['any', 'when', 'not'] as const) {
    const list = match[key];
    if (list === undefined) continue;
    if (!Array.isArray(list)) {
      c.problem(`match.${key}`, 'expected a list of patterns');
      continue;
    }
    list.forEach((p, i) => c.pattern(p, `match.${key}[${i}]`));
  }
  if (!Array.isArray(match.tokens) || match.tokens.length === 0) c.problem('match.tokens', 'java rules declare prefilter tokens (class or method names a matching file must contain)');
  return c.problems;
}

// ---------------------------------------------------------------- compilation

function argCond(v: Record<string, unknown> | undefined): ArgCond | undefined {
  if (!v) return undefined;
  const c: ArgCond = {};
  if (v.index !== undefined) c.index = v.index as number;
  if (v.text !== undefined) c.text = compileRegex(v.text as string);
  if (v.literal !== undefined) c.literal = compileRegex(v.literal as string);
  if (v.type !== undefined) c.type = compileGlob(v.type as string);
  return c;
}

function compilePattern(p: Record<string, unknown>): CompiledPattern {
  // `kind` may sit beside the pattern or inside its body: `{literal: {regex: …, kind: jdbc-url}}`.
  const body = Object.values(p).find((v) => typeof v === 'object' && v !== null) as Record<string, unknown> | undefined;
  const label = typeof p.kind === 'string' ? p.kind : typeof body?.kind === 'string' ? (body.kind as string) : undefined;
  const withLabel = (c: Compiled): CompiledPattern => (label !== undefined ? { ...c, label } : c);
  if ('import' in p) {
    if (typeof p.import === 'string') return withLabel({ k: 'import', glob: compileGlob(p.import) });
    const o = p.import as Record<string, unknown>;
    const c: Compiled = { k: 'import', glob: compileGlob(o.type as string) };
    if (o.own !== undefined) c.own = o.own as boolean;
    return withLabel(c);
  }
  if ('cast' in p) return withLabel({ k: 'cast', glob: compileGlob(p.cast as string) });
  if ('type' in p) return withLabel({ k: 'type', glob: compileGlob(p.type as string) });
  if ('extends' in p) return withLabel({ k: 'extends', glob: compileGlob(p.extends as string) });
  if ('implements' in p) return withLabel({ k: 'implements', glob: compileGlob(p.implements as string) });
  if ('nativeMethod' in p) return withLabel({ k: 'nativeMethod' });
  if ('annotation' in p) {
    const v = p.annotation;
    if (typeof v === 'string') return withLabel({ k: 'annotation', glob: compileGlob(v) });
    const o = v as Record<string, string>;
    const c: Compiled = { k: 'annotation', glob: compileGlob(o.type!) };
    if (o.attribute) c.attribute = anchored(o.attribute);
    if (o.value) c.value = compileRegex(o.value);
    return withLabel(c);
  }
  if ('new' in p) {
    const v = p.new;
    if (typeof v === 'string') return withLabel({ k: 'new', glob: compileGlob(v) });
    const o = v as Record<string, unknown>;
    const c: Compiled = { k: 'new', glob: compileGlob(o.type as string) };
    if (o.args !== undefined) c.args = o.args as number;
    const a = argCond(o.arg as Record<string, unknown> | undefined);
    if (a) c.arg = a;
    const u = argCond(o.unless as Record<string, unknown> | undefined);
    if (u) c.unless = u;
    if (o.unlessPassedTo !== undefined) c.unlessPassedTo = anchored(o.unlessPassedTo as string);
    return withLabel(c);
  }
  if ('call' in p) {
    const o = p.call as Record<string, unknown>;
    const c: Compiled = { k: 'call', method: anchored(o.method as string) };
    if (o.type !== undefined) c.glob = compileGlob(o.type as string);
    if (o.static !== undefined) c.static = o.static as boolean;
    if (o.inLoop !== undefined) c.inLoop = o.inLoop as boolean;
    if (o.receiverCall !== undefined) c.receiverCall = anchored(o.receiverCall as string);
    if (o.receiver !== undefined) c.receiver = compileRegex(o.receiver as string);
    if (o.unlessReceiver !== undefined) c.unlessReceiver = compileRegex(o.unlessReceiver as string);
    if (o.args !== undefined) c.args = o.args as number;
    const a = argCond(o.arg as Record<string, unknown> | undefined);
    if (a) c.arg = a;
    const u = argCond(o.unless as Record<string, unknown> | undefined);
    if (u) c.unless = u;
    return withLabel(c);
  }
  if ('literal' in p) {
    const o = p.literal as Record<string, unknown>;
    const c: Compiled = { k: 'literal', redact: o.redact === true };
    if (o.regex !== undefined) c.regex = compileRegex(o.regex as string);
    if (o.unless !== undefined) c.unless = compileRegex(o.unless as string);
    if (o.name !== undefined) c.name = compileRegex(o.name as string);
    if (o.unlessName !== undefined) c.unlessName = compileRegex(o.unlessName as string);
    if (o.unlessMethod !== undefined) c.unlessMethod = anchored(o.unlessMethod as string);
    if (o.in !== undefined) c.in = new Set(o.in as LiteralContextKind[]);
    if (o.call !== undefined) {
      const cc = o.call as Record<string, unknown>;
      c.call = {};
      if (cc.type !== undefined) c.call.glob = compileGlob(cc.type as string);
      if (cc.method !== undefined) c.call.method = anchored(cc.method as string);
      if (cc.index !== undefined) c.call.index = cc.index as number;
    }
    if (o.new !== undefined) {
      const nn = o.new as Record<string, unknown>;
      c.newType = { glob: compileGlob(nn.type as string) };
      if (nn.index !== undefined) c.newType.index = nn.index as number;
    }
    if (o.annotation !== undefined) c.annotation = compileGlob(o.annotation as string);
    return withLabel(c);
  }
  const o = (p.field ?? p.staticField) as Record<string, unknown>;
  const c: Compiled = { k: 'field' };
  if ('staticField' in p) c.static = true;
  else if (o.static !== undefined) c.static = o.static as boolean;
  if (o.annotation !== undefined) c.annotation = compileGlob(o.annotation as string);
  if (o.type !== undefined) c.glob = compileGlob(o.type as string);
  if (o.name !== undefined) c.name = compileRegex(o.name as string);
  if (o.unlessName !== undefined) c.unlessName = compileRegex(o.unlessName as string);
  if (o.final !== undefined) c.final = o.final as boolean;
  if (o.mutated !== undefined) c.mutated = o.mutated as boolean;
  if (o.init !== undefined) c.init = compileRegex(o.init as string);
  if (o.unlessInit !== undefined) c.unlessInit = compileRegex(o.unlessInit as string);
  return withLabel(c);
}

export function compileMatch(match: Record<string, unknown>): CompiledMatch {
  const list = (v: unknown) => ((v as Record<string, unknown>[] | undefined) ?? []).map(compilePattern);
  return { any: list(match.any), when: list(match.when), not: list(match.not) };
}

// ---------------------------------------------------------------- evaluation

interface Hit extends Pos {
  endLine?: number;
  captures: Record<string, string>;
}

function firstMatching(types: string[], glob: RegExp): string | undefined {
  return types.find((t) => glob.test(t));
}

function argText(a: ArgFact): string {
  return a.init !== undefined ? `${a.text}\n${a.init}` : a.text;
}

function argHolds(args: ArgFact[], cond: ArgCond): boolean {
  const pick = cond.index !== undefined ? (args[cond.index] ? [args[cond.index]!] : []) : args;
  return pick.some(
    (a) =>
      (!cond.text || cond.text.test(argText(a))) &&
      (!cond.literal || (a.literal !== undefined && cond.literal.test(a.literal))) &&
      (!cond.type || (a.types !== undefined && firstMatching(a.types, cond.type) !== undefined)),
  );
}

function firstLiteral(args: ArgFact[]): string | undefined {
  return args.find((a) => a.literal !== undefined)?.literal;
}

function hits(p: CompiledPattern, f: JavaFacts): Hit[] {
  const out: Hit[] = [];
  const add = (pos: Pos & { endLine?: number }, captures: Record<string, string>) => {
    if (p.label !== undefined) captures.kind = p.label;
    const h: Hit = { line: pos.line, column: pos.column, captures };
    if (pos.endLine !== undefined && pos.endLine !== pos.line) h.endLine = pos.endLine;
    out.push(h);
  };
  switch (p.k) {
    case 'import':
      for (const i of f.imports) if (p.glob.test(i.name) && (p.own === undefined || i.own === p.own)) add(i, { type: i.name });
      break;
    case 'cast':
      for (const t of f.casts) {
        const m = firstMatching(t.types, p.glob);
        if (m) add(t, { type: m });
      }
      break;
    case 'type':
      for (const t of f.typeRefs) {
        const m = firstMatching(t.types, p.glob);
        if (m) add(t, { type: m });
      }
      break;
    case 'extends':
    case 'implements':
      for (const t of f.inherits) {
        if (t.kind !== p.k) continue;
        const m = firstMatching(t.types, p.glob);
        if (m) add(t, { type: m });
      }
      break;
    case 'nativeMethod':
      for (const n of f.natives) add(n, { key: n.name });
      break;
    case 'annotation':
      for (const a of f.annotations) {
        const m = firstMatching(a.types, p.glob);
        if (!m) continue;
        if (p.attribute && !Object.keys(a.attrs).some((k) => p.attribute!.test(k))) continue;
        if (p.value && !Object.values(a.attrs).some((v) => p.value!.test(v))) continue;
        add(a, { type: m });
      }
      break;
    case 'new':
      for (const n of f.news) {
        const m = firstMatching(n.types, p.glob);
        if (!m) continue;
        if (p.args !== undefined && n.args.length !== p.args) continue;
        if (p.arg && !argHolds(n.args, p.arg)) continue;
        if (p.unless && argHolds(n.args, p.unless)) continue;
        if (p.unlessPassedTo && n.consumer && p.unlessPassedTo.test(n.consumer)) continue;
        const caps: Record<string, string> = { type: m };
        const lit = firstLiteral(n.args);
        if (lit !== undefined) caps.value = lit;
        add(n, caps);
      }
      break;
    case 'call':
      for (const c of f.calls) {
        if (!p.method.test(c.method)) continue;
        let type: string | undefined;
        if (p.glob) {
          type = firstMatching(c.types, p.glob);
          if (!type) continue;
        }
        if (p.static !== undefined && c.isStatic !== p.static) continue;
        if (p.inLoop !== undefined && (c.inLoop ?? false) !== p.inLoop) continue;
        if (p.receiverCall && !(c.receiverCall && p.receiverCall.test(c.receiverCall))) continue;
        if (p.receiver && !(c.receiverText && p.receiver.test(c.receiverText))) continue;
        if (p.unlessReceiver && c.receiverText && p.unlessReceiver.test(c.receiverText)) continue;
        if (p.args !== undefined && c.args.length !== p.args) continue;
        if (p.arg && !argHolds(c.args, p.arg)) continue;
        if (p.unless && argHolds(c.args, p.unless)) continue;
        const caps: Record<string, string> = { method: c.method };
        if (type) caps.type = type;
        const lit = firstLiteral(c.args);
        if (lit !== undefined) caps.value = lit;
        add(c, caps);
      }
      break;
    case 'literal':
      for (const l of f.literals) {
        const ctx = l.ctx;
        if (p.in && !p.in.has(ctx.kind)) continue;
        if (p.regex && !p.regex.test(l.value)) continue;
        if (p.unless && p.unless.test(l.value)) continue;
        if (p.name && !(ctx.name && p.name.test(ctx.name))) continue;
        if (p.unlessName && ctx.name && p.unlessName.test(ctx.name)) continue;
        if (p.unlessMethod && ctx.method && p.unlessMethod.test(ctx.method)) continue;
        if (p.call) {
          if (ctx.kind !== 'arg') continue;
          if (p.call.method && !(ctx.method && p.call.method.test(ctx.method))) continue;
          if (p.call.glob && !firstMatching(ctx.types ?? [], p.call.glob)) continue;
          if (p.call.index !== undefined && ctx.index !== p.call.index) continue;
        }
        if (p.newType) {
          if (ctx.kind !== 'new' || !firstMatching(ctx.types ?? [], p.newType.glob)) continue;
          if (p.newType.index !== undefined && ctx.index !== p.newType.index) continue;
        }
        if (p.annotation && !(ctx.kind === 'annotation' && firstMatching(ctx.types ?? [], p.annotation))) continue;
        const caps: Record<string, string> = {};
        if (!p.redact) caps.value = l.value.length > 200 ? `${l.value.slice(0, 200)}…` : l.value;
        if (ctx.name) caps.key = ctx.name;
        else if (ctx.method && ctx.index !== undefined) caps.key = `${ctx.method}() argument ${ctx.index + 1}`;
        add(l, caps);
      }
      break;
    case 'field':
      for (const s of f.fields) {
        if (p.static !== undefined && s.static !== p.static) continue;
        if (p.annotation && !s.annotations.some((a) => p.annotation!.test(a))) continue;
        if (p.glob && !firstMatching(s.types, p.glob)) continue;
        if (p.name && !p.name.test(s.name)) continue;
        if (p.unlessName && p.unlessName.test(s.name)) continue;
        if (p.final !== undefined && s.final !== p.final) continue;
        if (p.mutated !== undefined && s.mutations > 0 !== p.mutated) continue;
        if (p.init && !(s.init !== undefined && p.init.test(s.init))) continue;
        if (p.unlessInit && s.init !== undefined && p.unlessInit.test(s.init)) continue;
        const caps: Record<string, string> = { key: s.name };
        if (s.types[0]) caps.type = s.types[0];
        add(s, caps);
      }
      break;
  }
  return out;
}

export function evaluate(ruleId: string, m: CompiledMatch, facts: JavaFacts): Match[] {
  if (m.when.some((p) => hits(p, facts).length === 0)) return [];
  if (m.not.some((p) => hits(p, facts).length > 0)) return [];
  const seen = new Set<string>();
  const out: Match[] = [];
  for (const p of m.any) {
    for (const h of hits(p, facts)) {
      // Several patterns may describe the same occurrence; the rule reports it once.
      const key = `${h.line}:${h.column}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const match: Match = { ruleId, line: h.line, column: h.column };
      if (h.endLine !== undefined) match.endLine = h.endLine;
      if (Object.keys(h.captures).length > 0) match.captures = h.captures;
      out.push(match);
    }
  }
  return out;
}
