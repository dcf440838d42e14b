/**
 * A file's facts from its tree-sitter-java syntax tree. Every crossing from JavaScript into
 * WebAssembly costs more than the work done on a node, so the tree is never walked node by node
 * from here: one call (`descendantsOfType`, a walk inside the WebAssembly module) returns, in
 * document order, only the nodes facts are made of — declarations and scopes, calls, `new`, string
 * literals, annotations, and type names when a rule asks for type references — plus the expressions
 * a string literal's context cannot pass through. Nested by their spans, they form a sparse tree
 * that one walk turns into facts. What a node's children would say (a call's name and arguments, a
 * declarator's name, a declared type, a modifier) is read from the source text of the node,
 * skipping the spans of the nodes inside it.
 *
 * The sparse tree leaves out only what a literal's context passes through unchanged: binary,
 * ternary, unary and parenthesized expressions, identifiers, number literals, statements (a literal
 * in a statement other than `return` flows nowhere in particular). Every other expression kind a
 * literal can sit in (a call, `new`, an array access, a lambda, a field access, …) is kept, so a
 * literal never reaches a consumer across a node that would have changed its context.
 *
 * The walk keeps a scope chain (fields of the enclosing classes, then parameters and locals of the
 * enclosing members) so a call's receiver resolves to the type its variable was declared with — a
 * local variable called `Files` is not `java.nio.file.Files`. Comments are never kept, so they can
 * never produce a fact.
 */
import {
  emptyFacts,
  isOwnImport,
  keyLike,
  MUTATORS,
  returnTypeOf,
  TypeResolver,
  unquote,
  type ArgFact,
  type FieldFact,
  type JavaFacts,
  type LiteralContext,
} from './facts.js';
import { BACKSLASH, DQUOTE, NEWLINE, QUOTE, SLASH, SPACE, STAR } from './chars.js';
import { positionAt } from '../common/position.js';

/** tree-sitter-java node types the walk reads, and what it calls them. */
export const KINDS: Readonly<Record<string, string>> = {
  module_declaration: 'module',
  package_declaration: 'package',
  import_declaration: 'import',
  class_declaration: 'typedecl',
  interface_declaration: 'typedecl',
  enum_declaration: 'typedecl',
  annotation_type_declaration: 'typedecl',
  record_declaration: 'record',
  class_body: 'body',
  interface_body: 'body',
  enum_body: 'body',
  annotation_type_body: 'body',
  enum_constant: 'enumconst',
  static_initializer: 'staticinit',
  superclass: 'extends',
  extends_interfaces: 'extends',
  super_interfaces: 'implements',
  field_declaration: 'field',
  constant_declaration: 'constant',
  variable_declarator: 'declarator',
  method_declaration: 'method',
  constructor_declaration: 'ctor',
  compact_constructor_declaration: 'ctor',
  formal_parameter: 'param',
  spread_parameter: 'param',
  catch_formal_parameter: 'param',
  local_variable_declaration: 'local',
  resource: 'resource',
  instanceof_expression: 'pattern',
  type_pattern: 'pattern',
  lambda_expression: 'lambda',
  for_statement: 'loop',
  while_statement: 'loop',
  do_statement: 'loop',
  enhanced_for_statement: 'foreach',
  return_statement: 'return',
  assignment_expression: 'assign',
  method_invocation: 'call',
  object_creation_expression: 'new',
  explicit_constructor_invocation: 'ctorcall',
  field_access: 'fieldaccess',
  cast_expression: 'cast',
  array_access: 'other',
  array_creation_expression: 'other',
  switch_expression: 'other',
  template_expression: 'other',
  method_reference: 'methodref',
  string_literal: 'string',
  annotation: 'annotation',
  marker_annotation: 'annotation',
  annotation_argument_list: 'annotargs',
  element_value_pair: 'pair',
  type_identifier: 'type',
  scoped_type_identifier: 'stype',
  type_arguments: 'typeargs',
  type_parameter: 'typeparam',
};

/** A kept node: its kind, its span in the text, and the kept nodes inside it, in document order. */
export interface SNode {
  kind: string;
  start: number;
  end: number;
  /** 1-based */
  line: number;
  /** 1-based, in UTF-16 code units like the text */
  column: number;
  children: SNode[];
}

/** What `descendantsOfType` returns, as far as the walk needs it (web-tree-sitter's Node). */
export interface RawNode {
  readonly typeId: number;
  readonly startIndex: number;
  readonly endIndex: number;
  readonly startPosition: { row: number; column: number };
}

/** Nests nodes given in document order (outer before inner) by their spans. */
export function sparseTree(nodes: RawNode[], kindById: ReadonlyArray<string | undefined>): SNode[] {
  const roots: SNode[] = [];
  const stack: SNode[] = [];
  for (const n of nodes) {
    const kind = kindById[n.typeId];
    if (kind === undefined) continue;
    const p = n.startPosition;
    const s: SNode = { kind, start: n.startIndex, end: n.endIndex, line: p.row + 1, column: p.column + 1, children: [] };
    while (stack.length > 0 && stack[stack.length - 1]!.end < s.end) stack.pop();
    if (stack.length > 0) stack[stack.length - 1]!.children.push(s);
    else roots.push(s);
    stack.push(s);
  }
  return roots;
}

interface Var {
  types: string[];
  init?: string;
  field?: FieldFact;
}
type Scope = Map<string, Var>;

interface Receiver {
  types: string[];
  isStatic?: boolean;
  isThis?: boolean;
  unqualified?: boolean;
  receiverCall?: string;
  receiverName?: string;
  text?: string;
}

/** A stretch of text (an argument, a call's object) and the kept node that is exactly it, if any. */
interface Span {
  start: number;
  end: number;
  node: SNode | undefined;
}

/** A parenthesized group and its comma-separated parts. */
interface Group {
  open: number;
  close: number;
  parts: Span[];
}

const OTHER: LiteralContext = { kind: 'other' };
const NO_RECEIVER: Receiver = { types: [] };

/** Kinds a literal's context passes through unchanged. */
const TRANSPARENT = new Set(['cast', 'pattern']);
/** Members of a class body; anything else directly in a body is an instance initializer's content. */
const MEMBERS = new Set(['typedecl', 'record', 'field', 'constant', 'method', 'ctor', 'staticinit', 'enumconst', 'annotation', 'body']);
const PRIMITIVE = /^(?:boolean|byte|short|int|long|char|float|double)$/;
const DOTTED = /^[A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)*$/;
const SIMPLE_NAME = /^[A-Za-z_$][\w$]*$/;
const COMMENT = /\/\*[\s\S]*?\*\/|\/\/[^\n]*/g;
/** Modifiers that may stand before a declaration's type. */
const MODIFIERS = /(?:^|\s)(?:public|protected|private|static|final|abstract|native|synchronized|transient|volatile|strictfp|default|sealed|non-sealed)(?=\s|$)/g;
/** The node types that are type names: kept only when a rule asks for type references. */
export const TYPE_KINDS = new Set(['type_identifier', 'scoped_type_identifier', 'type_arguments', 'type_parameter']);

function isIdent(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95 || c === 36 || c > 127;
}

/** Source text without comments, whitespace, annotations and type arguments: `java.util . List<T>` → `java.util.List`. */
function typeName(raw: string): string {
  if (DOTTED.test(raw)) return raw;
  let s = raw.replace(COMMENT, '');
  // innermost type arguments first, so nested ones come off too
  for (let prev = ''; prev !== s; ) {
    prev = s;
    s = s.replace(/<[^<>]*>/g, '');
  }
  return s.replace(/@[\w$.]+(?:\s*\([^()]*\))?/g, '').replace(/\s+/g, '');
}

/** A name as written, without comments and whitespace. */
function cleanName(raw: string): string {
  if (DOTTED.test(raw)) return raw;
  return raw.replace(COMMENT, '').replace(/\s+/g, '');
}

function isTypeName(n: SNode): boolean {
  return n.kind === 'type' || n.kind === 'stype';
}

function firstNew(n: SNode): SNode | undefined {
  for (const c of n.children) {
    if (c.kind === 'new') return c;
    if (c.kind === 'body') continue;
    const f = firstNew(c);
    if (f) return f;
  }
  return undefined;
}

function childOfKind(n: SNode, kind: string): SNode | undefined {
  for (const c of n.children) if (c.kind === kind) return c;
  return undefined;
}

export class TreeWalker {
  private readonly facts = emptyFacts(false);
  private resolver = new TypeResolver(undefined);
  private readonly scopes: Scope[] = [];
  /** `method/arity` → parameter names, for methods declared in this file */
  private readonly params = new Map<string, string[]>();
  private readonly memberNames: string[] = [];
  /** >0 inside static initializers and field initializers, where filling a static map is set-up, not state */
  private initDepth = 0;
  /** loops enclosing the current point, within the current member */
  private loopDepth = 0;
  private lineStarts: number[] | undefined;

  /** `typeRefs`: collect type references (from the type nodes, which the tree then holds) */
  constructor(
    private readonly text: string,
    private readonly typeRefs = true,
  ) {}

  run(roots: SNode[]): JavaFacts {
    // A module-info.java declares modules, not code.
    if (roots.some((r) => r.kind === 'module')) return this.facts;
    for (const r of roots) {
      if (r.kind !== 'package') continue;
      const m = /\bpackage\s+([^;]+)/.exec(this.plain(r, r.end));
      if (m) this.facts.package = cleanName(m[1]!);
      break;
    }
    this.resolver = new TypeResolver(this.facts.package);
    for (const imp of roots) {
      if (imp.kind !== 'import') continue;
      const m = /^import\s+(static\s+)?([^;*]*?)(\.\s*\*)?\s*;?$/.exec(this.src(imp).replace(COMMENT, '').trim());
      if (!m) continue;
      const base = cleanName(m[2]!);
      if (!base) continue;
      const isStatic = m[1] !== undefined;
      const onDemand = m[3] !== undefined;
      this.facts.imports.push({ name: onDemand ? `${base}.*` : base, static: isStatic, onDemand, own: isOwnImport(base, this.facts.package), line: imp.line, column: imp.column });
      this.resolver.addImport(base, isStatic, onDemand);
    }
    this.declareTypes(roots, this.facts.package, false);
    for (const r of roots) if (r.kind !== 'package' && r.kind !== 'import') this.visit(r, OTHER);
    return this.facts;
  }

  // ---------------------------------------------------------------- text

  private src(n: { start: number; end: number }): string {
    return this.text.slice(n.start, n.end);
  }

  private pos(offset: number): { line: number; column: number } {
    let ls = this.lineStarts;
    if (!ls) {
      ls = [0];
      const t = this.text;
      for (let i = t.indexOf('\n'); i >= 0; i = t.indexOf('\n', i + 1)) ls.push(i + 1);
      this.lineStarts = ls;
    }
    return positionAt(ls, offset);
  }

  private endLine(end: number): number {
    return this.pos(Math.max(0, end - 1)).line;
  }

  /** The text of `n` from `from` (its start) to `upto`, with the kept nodes inside and comments blanked. */
  private plain(n: SNode, upto: number, from = n.start): string {
    let out = '';
    let at = from;
    for (const c of n.children) {
      if (c.start >= upto) break;
      if (c.end <= from) continue;
      out += this.text.slice(at, c.start) + ' ';
      at = c.end;
    }
    if (at < upto) out += this.text.slice(at, upto);
    return out.includes('/') ? out.replace(COMMENT, ' ') : out;
  }

  /** The type written in [from, upto) of `n`'s text, as a name: `final @A Map<K, V>[]` → `Map`; '' if none. */
  private typeAt(n: SNode, from: number, upto: number): string {
    // (annotations come out; type names, kept when type references are collected, stay)
    let raw = '';
    let at = from;
    for (const c of n.children) {
      if (c.start >= upto) break;
      if (c.end <= from || c.kind !== 'annotation') continue;
      raw += this.text.slice(at, c.start) + ' ';
      at = c.end;
    }
    raw += this.text.slice(at, upto);
    if (raw.includes('/')) raw = raw.replace(COMMENT, ' ');
    raw = raw.replace(MODIFIERS, ' ');
    // (`A | B` in a multi-catch, `A & B` in an intersection cast: the first)
    return typeName(raw)
      .replace(/[|&].*$/, '')
      .replace(/(?:\[\]|\.\.\.)+$/, '');
  }

  /** Past whitespace and comments from `i`. */
  private skipTrivia(i: number, end: number): number {
    const t = this.text;
    while (i < end) {
      const c = t.charCodeAt(i);
      if (c <= SPACE) i++;
      else if (c === SLASH && t.charCodeAt(i + 1) === SLASH) {
        const nl = t.indexOf('\n', i);
        i = nl < 0 ? end : nl + 1;
      } else if (c === SLASH && t.charCodeAt(i + 1) === STAR) {
        const close = t.indexOf('*/', i + 2);
        i = close < 0 ? end : close + 2;
      } else break;
    }
    return i;
  }

  /** Back over whitespace and comments before `i` (exclusive). */
  private skipTriviaBack(i: number, start: number): number {
    const t = this.text;
    for (;;) {
      let crossed = false;
      while (i > start && t.charCodeAt(i - 1) <= SPACE) if (t.charCodeAt(--i) === NEWLINE) crossed = true;
      if (i <= start) return i;
      if (t.charCodeAt(i - 1) === SLASH && t.charCodeAt(i - 2) === STAR) {
        const open = t.lastIndexOf('/*', i - 3);
        if (open < start) return i;
        i = open;
        continue;
      }
      // the end of a line comment? (`a() // why\n .b()`) Only a line break can end one.
      if (!crossed) return i;
      const from = Math.max(t.lastIndexOf('\n', i - 1) + 1, start);
      const slashes = t.indexOf('//', from);
      if (slashes < 0 || slashes >= i) return i;
      const comment = this.lineCommentAt(from, i);
      if (comment < 0) return i;
      i = comment;
    }
  }

  /** Where a line comment starts in [from, to) — outside literals and block comments — or -1. */
  private lineCommentAt(from: number, to: number): number {
    const t = this.text;
    for (let i = from; i < to; i++) {
      const c = t.charCodeAt(i);
      if (c === DQUOTE || c === QUOTE) {
        for (i++; i < to && t.charCodeAt(i) !== c; i++) if (t.charCodeAt(i) === BACKSLASH) i++;
      } else if (c === SLASH && t.charCodeAt(i + 1) === STAR) {
        const close = t.indexOf('*/', i + 2);
        if (close < 0 || close >= to) return -1;
        i = close + 1;
      } else if (c === SLASH && t.charCodeAt(i + 1) === SLASH) return i;
    }
    return -1;
  }

  /**
   * Parenthesized groups at the top level of `n`'s text between `from` and `to`: the last one (a
   * call's arguments come last) or, with `first`, the first. Kept nodes inside are skipped whole,
   * as are comments and character literals.
   */
  private group(n: SNode, from: number, to: number, first = false): Group | undefined {
    const t = this.text;
    const kids = n.children;
    let k = 0;
    while (k < kids.length && kids[k]!.start < from) k++;
    let depth = 0;
    let found: Group | undefined;
    let parts: Span[] = [];
    let open = -1;
    let partStart = -1;
    let partEnd = -1;
    const endPart = () => {
      if (partStart >= 0) parts.push({ start: partStart, end: partEnd, node: undefined });
      partStart = -1;
    };
    let i = from;
    while (i < to) {
      if (k < kids.length && kids[k]!.start <= i) {
        const kid = kids[k++]!;
        if (kid.start < i) continue;
        if (depth === 1) {
          if (partStart < 0) partStart = kid.start;
          partEnd = kid.end;
        }
        i = kid.end;
        continue;
      }
      const c = t.charCodeAt(i);
      if (c <= SPACE) {
        i++;
        continue;
      }
      if (c === SLASH && (t.charCodeAt(i + 1) === SLASH || t.charCodeAt(i + 1) === STAR)) {
        i = this.skipTrivia(i, to);
        continue;
      }
      if (c === QUOTE || c === DQUOTE) {
        // (string literals are kept nodes; an unkept one only in broken code)
        let j = i + 1;
        while (j < to && t.charCodeAt(j) !== c && t.charCodeAt(j) !== NEWLINE) j += t.charCodeAt(j) === BACKSLASH ? 2 : 1;
        if (depth === 1) {
          if (partStart < 0) partStart = i;
          partEnd = Math.min(j + 1, to);
        }
        i = j + 1;
        continue;
      }
      if (c === 40 /* ( */) {
        if (depth === 0) {
          open = i;
          parts = [];
          partStart = -1;
        } else if (depth === 1) {
          if (partStart < 0) partStart = i;
          partEnd = i + 1;
        }
        depth++;
      } else if (c === 41 /* ) */) {
        depth--;
        if (depth === 0) {
          endPart();
          found = { open, close: i, parts };
          if (first) break;
        } else if (depth < 0) depth = 0;
        else if (depth === 1) partEnd = i + 1;
      } else if (c === 91 /* [ */ || c === 123 /* { */) {
        if (depth === 1) {
          if (partStart < 0) partStart = i;
          partEnd = i + 1;
        }
        depth++;
      } else if (c === 93 /* ] */ || c === 125 /* } */) {
        depth = Math.max(0, depth - 1);
        if (depth === 1) partEnd = i + 1;
      } else if (c === 44 /* , */ && depth === 1) {
        endPart();
      } else if (depth === 1) {
        if (partStart < 0) partStart = i;
        partEnd = i + 1;
      }
      i++;
    }
    if (found) for (const p of found.parts) p.node = this.exactly(n, p.start, p.end);
    return found;
  }

  /** The comma-separated parts of `n`'s text in [from, to), outside brackets (`<>` too) and kept nodes. */
  private split(n: SNode, from: number, to: number): Span[] {
    const t = this.text;
    const kids = n.children;
    const parts: Span[] = [];
    let k = 0;
    let depth = 0;
    let start = -1;
    let end = -1;
    for (let i = from; i < to; ) {
      while (k < kids.length && kids[k]!.end <= i) k++;
      if (k < kids.length && kids[k]!.start <= i) {
        if (start < 0) start = kids[k]!.start;
        i = end = kids[k]!.end;
        continue;
      }
      const c = t.charCodeAt(i);
      if (c <= SPACE || (c === SLASH && (t.charCodeAt(i + 1) === SLASH || t.charCodeAt(i + 1) === STAR))) {
        i = c <= SPACE ? i + 1 : this.skipTrivia(i, to);
        continue;
      }
      if (c === 44 /* , */ && depth === 0) {
        if (start >= 0) parts.push({ start, end, node: undefined });
        start = -1;
      } else {
        if (c === 40 || c === 60 || c === 91 || c === 123) depth++;
        else if (c === 41 || c === 62 || c === 93 || c === 125) depth = Math.max(0, depth - 1);
        if (start < 0) start = i;
        end = i + 1;
      }
      i++;
    }
    if (start >= 0) parts.push({ start, end, node: undefined });
    return parts;
  }

  /** Offset of the last `word` in `n`'s text outside kept nodes and comments, or -1. */
  private topLevelWord(n: SNode, word: string): number {
    const t = this.text;
    for (let i = t.lastIndexOf(word, n.end - word.length); i >= n.start; i = t.lastIndexOf(word, i - 1)) {
      if (isIdent(t.charCodeAt(i - 1)) || isIdent(t.charCodeAt(i + word.length))) continue;
      if (n.children.some((c) => c.start <= i && i < c.end)) continue;
      if (this.lineCommentAt(Math.max(t.lastIndexOf('\n', i) + 1, n.start), i) >= 0) continue;
      return i;
    }
    return -1;
  }

  /** The kept child of `n` spanning exactly [start, end). */
  private exactly(n: SNode, start: number, end: number): SNode | undefined {
    for (const c of n.children) {
      if (c.start === start) return c.end === end ? c : undefined;
      if (c.start > start) return undefined;
    }
    return undefined;
  }

  /** Visits the kept children of `n` inside [start, end). */
  private visitIn(n: SNode, start: number, end: number, lit: LiteralContext): void {
    for (const c of n.children) {
      if (c.start >= end) break;
      if (c.start >= start) this.visit(c, lit);
    }
  }

  /** The identifier that ends just before `end` (dimensions `[]` skipped), or ''. */
  private identBefore(end: number, start: number): { name: string; start: number } {
    const t = this.text;
    let i = this.skipTriviaBack(end, start);
    while (i > start && t.charCodeAt(i - 1) === 93 /* ] */) {
      const open = t.lastIndexOf('[', i - 1);
      if (open < start) break;
      i = this.skipTriviaBack(open, start);
    }
    let j = i;
    while (j > start && isIdent(t.charCodeAt(j - 1))) j--;
    return { name: t.slice(j, i), start: j };
  }

  // ---------------------------------------------------------------- declarations

  /** Registers every class/interface/enum/record name declared in the file, and its methods' parameter names. */
  private declareTypes(list: SNode[], outer: string | undefined, inBody: boolean): void {
    for (const c of list) {
      // (an instance initializer's content, like a method's, declares nothing file-wide)
      if (inBody && !MEMBERS.has(c.kind)) continue;
      switch (c.kind) {
        case 'typedecl':
        case 'record': {
          const name = this.typeDeclName(c);
          let next = outer;
          if (name) {
            const fqn = outer ? `${outer}.${name}` : name;
            this.resolver.declare(name, fqn);
            next = fqn;
          }
          this.declareTypes(c.children, next, false);
          continue;
        }
        case 'method': {
          const { name, params } = this.methodHeader(c);
          if (name) this.params.set(`${name}/${params.length}`, params.map((p) => this.paramName(p)));
          continue;
        }
        case 'body':
          this.declareTypes(c.children, outer, true);
          continue;
        case 'ctor':
        case 'staticinit':
        case 'declarator':
          continue;
      }
      this.declareTypes(c.children, outer, false);
    }
  }

  private typeDeclName(n: SNode): string | undefined {
    const body = n.children.find((c) => c.kind === 'body');
    return /\b(?:class|interface|enum|record)\s+([A-Za-z_$][\w$]*)/.exec(this.plain(n, body ? body.start : n.end))?.[1];
  }

  /** A method's name (the identifier before its parameter list) and its parameter nodes. */
  private methodHeader(n: SNode): { name: string; nameAt: number; params: SNode[] } {
    const g = this.group(n, n.start, n.end, true);
    if (!g) return { name: '', nameAt: n.start, params: [] };
    const id = this.identBefore(g.open, n.start);
    const params = n.children.filter((c) => c.kind === 'param' && c.start > g.open && c.end <= g.close);
    return { name: id.name, nameAt: id.start, params };
  }

  private paramName(p: SNode): string {
    // spread parameters keep their name in a declarator
    const d = childOfKind(p, 'declarator');
    return this.identBefore(d ? this.declaratorNameEnd(d) : p.end, d ? d.start : p.start).name;
  }

  private declaratorNameEnd(d: SNode): number {
    const t = this.text;
    let i = this.skipTrivia(d.start, d.end);
    while (i < d.end && isIdent(t.charCodeAt(i))) i++;
    return i;
  }

  /** A declarator's name, and the start of its initializer (after `=`) if it has one. */
  private declarator(d: SNode): { name: string; nameAt: number; init: Span | undefined } {
    const t = this.text;
    const nameAt = this.skipTrivia(d.start, d.end);
    let i = nameAt;
    while (i < d.end && isIdent(t.charCodeAt(i))) i++;
    const name = t.slice(nameAt, i);
    const eq = t.indexOf('=', i);
    if (eq < 0 || eq >= d.end) return { name, nameAt, init: undefined };
    const start = this.skipTrivia(eq + 1, d.end);
    return { name, nameAt, init: { start, end: d.end, node: this.exactly(d, start, d.end) } };
  }

  /** Modifier keywords of a declaration, read from its text before `upto`. */
  private modifiers(n: SNode, upto: number): { isStatic: boolean; isFinal: boolean; isNative: boolean } {
    const head = this.plain(n, upto);
    return { isStatic: /\bstatic\b/.test(head), isFinal: /\bfinal\b/.test(head), isNative: /\bnative\b/.test(head) };
  }

  private lookup(name: string): Var | undefined {
    for (let i = this.scopes.length - 1; i >= 0; i--) {
      const v = this.scopes[i]!.get(name);
      if (v) return v;
    }
    return undefined;
  }

  private resolveNode(n: SNode): string[] {
    return this.resolver.resolve(typeName(this.src(n)));
  }

  /** A declared type, resolved; `var` infers from the first `new T(…)` of the initializer. Primitive types have none. */
  private declaredType(name: string, init?: SNode): string[] {
    if (name === 'var') {
      const created = init && (init.kind === 'new' ? init : firstNew(init));
      return created ? this.newTypes(created) : [];
    }
    return name && !PRIMITIVE.test(name) && /^[A-Za-z_$]/.test(name) ? this.resolver.resolve(name) : [];
  }

  private fieldsOf(body: SNode): Scope {
    const scope: Scope = new Map();
    for (const d of body.children) {
      if (d.kind !== 'field' && d.kind !== 'constant') continue;
      const isConstant = d.kind === 'constant';
      const firstDeclarator = childOfKind(d, 'declarator');
      const head = firstDeclarator?.start ?? d.end;
      const typeName = this.typeAt(d, d.start, head);
      const mods = isConstant ? undefined : this.modifiers(d, head);
      const isStatic = isConstant || mods!.isStatic;
      const isFinal = isConstant || mods!.isFinal;
      const annotations: string[] = [];
      for (const a of d.children) if (a.kind === 'annotation') annotations.push(...this.resolver.resolve(this.annotationName(a)));
      for (const v of d.children) {
        if (v.kind !== 'declarator') continue;
        const { name, nameAt, init } = this.declarator(v);
        if (!name) continue;
        const types = this.declaredType(typeName, v);
        const at = this.pos(nameAt);
        const field: FieldFact = { name, types, static: isStatic, final: isFinal, line: at.line, column: at.column, mutations: 0, annotations };
        if (init) field.init = this.src(init).slice(0, 300);
        this.facts.fields.push(field);
        const entry: Var = { types, field };
        if (field.init !== undefined) entry.init = field.init;
        scope.set(name, entry);
      }
    }
    return scope;
  }

  /** Declares a variable in the innermost member scope. */
  private declare(name: string, types: string[], init?: string): void {
    const scope = this.scopes[this.scopes.length - 1];
    if (!scope || !name) return;
    const entry: Var = { types };
    if (init !== undefined) entry.init = init;
    scope.set(name, entry);
  }

  // ---------------------------------------------------------------- the walk

  private visitChildren(n: SNode, lit: LiteralContext): void {
    for (const c of n.children) this.visit(c, lit);
  }

  /** Runs `walk` as the body of a member: its own scope, outside loops and field initializers. */
  private member(name: string, isStaticInit: boolean, walk: () => void): void {
    if (isStaticInit) this.initDepth++;
    // Member bodies are walked outside any field initializer, whatever encloses them.
    const savedInit = this.initDepth;
    if (!isStaticInit) this.initDepth = 0;
    const savedLoop = this.loopDepth;
    this.loopDepth = 0;
    this.memberNames.push(name);
    this.scopes.push(new Map());
    walk();
    this.scopes.pop();
    this.memberNames.pop();
    this.loopDepth = savedLoop;
    this.initDepth = savedInit;
    if (isStaticInit) this.initDepth--;
  }

  private visit(n: SNode, lit: LiteralContext): void {
    if (n.kind === 'string') {
      this.facts.literals.push({ value: unquote(this.src(n)), line: n.line, column: n.column, endLine: this.endLine(n.end), ctx: lit });
      return;
    }
    if (!TRANSPARENT.has(n.kind)) lit = OTHER;
    switch (n.kind) {
      case 'body': {
        this.scopes.push(this.fieldsOf(n));
        // Statements directly in a body are an instance initializer's (its block is not kept).
        const kids = n.children;
        for (let i = 0; i < kids.length; ) {
          if (MEMBERS.has(kids[i]!.kind)) {
            this.visit(kids[i++]!, OTHER);
            continue;
          }
          let j = i;
          while (j < kids.length && !MEMBERS.has(kids[j]!.kind)) j++;
          const from = i;
          this.member('', false, () => {
            for (let k = from; k < j; k++) this.visit(kids[k]!, OTHER);
          });
          i = j;
        }
        this.scopes.pop();
        return;
      }
      case 'extends':
      case 'implements': {
        // `extends A<B, C>, D`: each type after the keyword
        const keyword = /^\s*(?:extends|implements)/.exec(this.src(n));
        for (const part of this.split(n, n.start + (keyword ? keyword[0].length : 0), n.end)) {
          const name = this.typeAt(n, part.start, part.end);
          if (!name) continue;
          const at = this.pos(part.start);
          this.facts.inherits.push({ types: this.resolver.resolve(name), kind: n.kind, line: at.line, column: at.column });
        }
        this.visitChildren(n, OTHER);
        return;
      }
      case 'record':
        // Record components are neither fields nor parameters in scope: only their types are visited.
        for (const c of n.children) {
          if (c.kind === 'param') this.visitChildren(c, OTHER);
          else this.visit(c, OTHER);
        }
        return;
      case 'field':
      case 'constant': {
        const isConstant = n.kind === 'constant';
        let constant = isConstant;
        if (!isConstant) {
          const mods = this.modifiers(n, childOfKind(n, 'declarator')?.start ?? n.end);
          constant = mods.isStatic && mods.isFinal;
        }
        for (const c of n.children) if (c.kind !== 'declarator') this.visit(c, OTHER);
        this.initDepth++;
        for (const v of n.children) {
          if (v.kind !== 'declarator') continue;
          const { name, init } = this.declarator(v);
          if (init) this.visitIn(v, init.start, init.end, { kind: 'field', name, constant });
        }
        this.initDepth--;
        return;
      }
      case 'param': {
        const d = childOfKind(n, 'declarator');
        const id = this.identBefore(d ? this.declaratorNameEnd(d) : n.end, d ? d.start : n.start);
        this.declare(id.name, this.declaredType(this.typeAt(n, n.start, d ? d.start : id.start)));
        this.visitChildren(n, OTHER);
        return;
      }
      case 'local': {
        const typeName = this.typeAt(n, n.start, childOfKind(n, 'declarator')?.start ?? n.end);
        const decls: Array<{ name: string; init: Span | undefined; v: SNode }> = [];
        for (const v of n.children) {
          if (v.kind !== 'declarator') continue;
          const d = this.declarator(v);
          decls.push({ name: d.name, init: d.init, v });
          this.declare(d.name, this.declaredType(typeName, v), d.init ? this.src(d.init).slice(0, 300) : undefined);
        }
        for (const c of n.children) if (c.kind !== 'declarator') this.visit(c, OTHER);
        for (const d of decls) if (d.init) this.visitIn(d.v, d.init.start, d.init.end, { kind: 'variable', name: d.name });
        return;
      }
      case 'resource': {
        // `try (Reader r = new FileReader(…))`, or just an existing variable
        const eq = this.topLevelEquals(n);
        if (eq < 0) {
          this.visitChildren(n, OTHER);
          return;
        }
        const id = this.identBefore(eq, n.start);
        const start = this.skipTrivia(eq + 1, n.end);
        const init = this.exactly(n, start, n.end);
        this.declare(id.name, this.declaredType(this.typeAt(n, n.start, id.start), init ?? { ...n, children: n.children.filter((c) => c.start >= start) }), this.text.slice(start, n.end).slice(0, 300));
        for (const c of n.children) this.visit(c, c.start >= start ? { kind: 'variable', name: id.name } : OTHER);
        return;
      }
      case 'pattern': {
        // `o instanceof Item i`, `case Item i ->`: a variable follows the type
        const kw = n.children.length > 0 || this.src(n).includes('instanceof') ? this.topLevelWord(n, 'instanceof') : -1;
        const from = kw >= 0 ? kw + 'instanceof'.length : n.start;
        const id = this.identBefore(n.end, from);
        if (id.name && !/^(?:instanceof|final)$/.test(id.name)) {
          const before = this.skipTriviaBack(id.start, from);
          const c = this.text.charCodeAt(before - 1);
          // a type ends right before the variable: a name, `>` or `]`
          if (before > from && (isIdent(c) || c === 62 || c === 93)) {
            const typeName = this.typeAt(n, from, id.start);
            if (typeName) this.declare(id.name, this.declaredType(typeName));
          }
        }
        this.visitChildren(n, lit);
        return;
      }
      case 'foreach': {
        this.loopDepth++;
        // `for (Item i : items)`: the variable is the identifier before the top-level `:`
        const colon = this.topLevelChar(n, 58 /* : */, this.text.indexOf('(', n.start) + 1);
        if (colon >= 0) {
          const id = this.identBefore(colon, n.start);
          const open = this.text.indexOf('(', n.start) + 1;
          this.declare(id.name, this.declaredType(this.typeAt(n, open, id.start)));
        }
        this.visitChildren(n, OTHER);
        this.loopDepth--;
        return;
      }
      case 'loop':
        this.loopDepth++;
        this.visitChildren(n, OTHER);
        this.loopDepth--;
        return;
      case 'method': {
        const { name, nameAt } = this.methodHeader(n);
        if (name && this.modifiers(n, nameAt).isNative) {
          const at = this.pos(nameAt);
          this.facts.natives.push({ name, line: at.line, column: at.column });
        }
        this.member(name, false, () => this.visitChildren(n, OTHER));
        return;
      }
      case 'ctor':
        this.member('', false, () => this.visitChildren(n, OTHER));
        return;
      case 'staticinit':
        this.member('', true, () => this.visitChildren(n, OTHER));
        return;
      case 'lambda': {
        // Lambdas in field initializers are code that runs later, not initialization.
        const saved = this.initDepth;
        this.initDepth = 0;
        this.scopes.push(new Map());
        const arrow = this.text.indexOf('->', n.start);
        const params = n.children.some((c) => c.kind === 'param' && c.end <= arrow);
        if (!params && arrow > 0) {
          // An untyped lambda parameter shadows whatever outer name it reuses.
          const head = this.text.slice(n.start, arrow).replace(COMMENT, ' ');
          for (const m of head.matchAll(/[A-Za-z_$][\w$]*/g)) this.declare(m[0], []);
        }
        this.visitChildren(n, OTHER);
        this.scopes.pop();
        this.initDepth = saved;
        return;
      }
      case 'return': {
        const name = this.memberNames[this.memberNames.length - 1];
        this.visitChildren(n, name ? { kind: 'return', name } : OTHER);
        return;
      }
      case 'assign': {
        const eq = this.topLevelEquals(n);
        const left = eq < 0 ? '' : this.text.slice(n.start, eq).replace(/[+\-*/%&|^<>]+$/, '');
        const name = /([A-Za-z_$][\w$]*)\s*$/.exec(left)?.[1];
        const ctx: LiteralContext = name ? { kind: 'assign', name } : OTHER;
        for (const c of n.children) this.visit(c, c.start > eq ? ctx : OTHER);
        return;
      }
      case 'annotation':
        this.annotation(n);
        return;
      case 'cast': {
        const g = this.group(n, n.start, n.end, true);
        if (g && g.open === n.start) {
          const inside = this.text.slice(g.open + 1, g.close).trim();
          if (!PRIMITIVE.test(inside)) {
            const at = this.pos(this.skipTrivia(g.open + 1, g.close));
            this.facts.casts.push({ types: this.declaredType(this.typeAt(n, g.open + 1, g.close)), line: at.line, column: at.column });
          }
        }
        this.visitChildren(n, lit);
        return;
      }
      case 'type': {
        const name = typeName(this.src(n));
        if (name !== 'var') this.facts.typeRefs.push({ types: this.resolver.resolve(name), line: n.line, column: n.column });
        return;
      }
      case 'stype':
        this.facts.typeRefs.push({ types: this.resolveNode(n), line: n.line, column: n.column });
        this.typeParts(n);
        return;
      case 'typeparam': {
        // the declared type variable itself is no reference to a type
        let named = false;
        for (const c of n.children) {
          if (!named && c.kind === 'type') named = true;
          else this.visit(c, OTHER);
        }
        return;
      }
      case 'call':
        this.callExpr(n);
        return;
      case 'new':
        this.newExpr(n);
        return;
      case 'ctorcall': {
        const g = this.group(n, n.start, n.end);
        if (g) g.parts.forEach((p, i) => this.visitPart(n, p, { kind: 'arg', method: 'super', index: i }));
        return;
      }
      case 'fieldaccess':
        this.fieldAccess(n, OTHER);
        return;
      case 'methodref': {
        const sep = this.text.indexOf('::', n.start);
        const first = n.children[0];
        // `Foo::bar` names `Foo` with an identifier; a type, call or field access before `::` is walked below
        if (sep > 0 && this.typeRefs && !(first && first.start === n.start)) {
          const left = cleanName(this.text.slice(n.start, sep));
          if (DOTTED.test(left)) this.receiverOf(left.split('.'), n.start);
        }
        this.visitChildren(n, OTHER);
        return;
      }
      case 'module':
        return;
      default:
        this.visitChildren(n, lit);
    }
  }

  /** Offset of the first top-level `=` of an assignment or resource (not `==`), or -1. */
  private topLevelEquals(n: SNode): number {
    for (let i = this.topLevelChar(n, 61); i >= 0 && i < n.end; i = this.topLevelChar(n, 61, i + 2)) {
      if (this.text.charCodeAt(i + 1) !== 61 && !'=!'.includes(this.text[i - 1] ?? '')) return i;
    }
    return -1;
  }

  /** Offset of the first `ch` in `n`'s text outside kept nodes, brackets, comments and literals, or -1. */
  private topLevelChar(n: SNode, ch: number, from = n.start): number {
    const t = this.text;
    const kids = n.children;
    let k = 0;
    let depth = 0;
    for (let i = from; i < n.end; ) {
      while (k < kids.length && kids[k]!.end <= i) k++;
      if (k < kids.length && kids[k]!.start <= i) {
        i = kids[k]!.end;
        continue;
      }
      const c = t.charCodeAt(i);
      if (c === SLASH && (t.charCodeAt(i + 1) === SLASH || t.charCodeAt(i + 1) === STAR)) {
        i = this.skipTrivia(i, n.end);
        continue;
      }
      if (c === QUOTE) {
        let j = i + 1;
        while (j < n.end && t.charCodeAt(j) !== QUOTE) j += t.charCodeAt(j) === BACKSLASH ? 2 : 1;
        i = j + 1;
        continue;
      }
      if (depth === 0 && c === ch) return i;
      if (c === 40 || c === 91 || c === 123) depth++;
      else if (c === 41 || c === 93 || c === 125) depth = Math.max(0, depth - 1);
      i++;
    }
    return -1;
  }

  /** Visits one argument or part with the context its literals flow into. */
  private visitPart(n: SNode, p: Span, lit: LiteralContext): void {
    if (p.node) this.visit(p.node, lit);
    else this.visitIn(n, p.start, p.end, lit);
  }

  /** The parts of a qualified type name other than its names: type arguments and annotations. */
  private typeParts(n: SNode): void {
    for (const c of n.children) {
      if (isTypeName(c)) this.typeParts(c);
      else this.visit(c, OTHER);
    }
  }

  private annotationName(a: SNode): string {
    const m = /^@\s*([\w$.\s]*?)\s*(?:\(|$)/.exec(this.plain(a, a.end).trim());
    return m ? cleanName(m[1]!) : '';
  }

  private annotation(n: SNode): void {
    const types = this.resolver.resolve(this.annotationName(n));
    const attrs: Record<string, string> = {};
    const list = childOfKind(n, 'annotargs');
    if (list) {
      const pairs = list.children.filter((c) => c.kind === 'pair');
      if (pairs.length > 0) {
        for (const p of pairs) {
          const m = /^\s*([A-Za-z_$][\w$]*)\s*=/.exec(this.src(p));
          if (!m) continue;
          const key = m[1]!;
          const start = this.skipTrivia(p.start + m[0].length, p.end);
          attrs[key] = this.text.slice(start, p.end).trim();
          this.visitIn(p, start, p.end, { kind: 'annotation', name: key, types });
        }
      } else {
        const value = this.text.slice(list.start + 1, list.end - 1).trim();
        if (value) {
          attrs.value = value;
          this.visitChildren(list, { kind: 'annotation', name: 'value', types });
        }
      }
    }
    this.facts.annotations.push({ types, attrs, line: n.line, column: n.column });
  }

  /** The type a `new` expression creates, resolved: what stands between `new` and its arguments. */
  private newTypes(n: SNode, g = this.group(n, this.newKeyword(n), n.end)): string[] {
    const at = this.newKeyword(n) + 3;
    const name = this.typeAt(n, at, g ? g.open : n.end);
    return name ? this.resolver.resolve(name) : [];
  }

  private newKeyword(n: SNode): number {
    if (this.text.startsWith('new', n.start)) return n.start;
    // `outer.new Inner()`: the keyword follows the object
    const first = n.children[0];
    const re = /\bnew\b/g;
    re.lastIndex = first && first.start === n.start ? first.end : n.start;
    return re.exec(this.text)?.index ?? n.start;
  }

  private newExpr(n: SNode): string[] {
    const at = this.newKeyword(n);
    const body = childOfKind(n, 'body');
    const g = this.group(n, at, body ? body.start : n.end);
    const types = this.newTypes(n, g);
    for (const c of n.children) {
      if (c === body) continue;
      if (g && c.start > g.open && c.end <= g.close) continue;
      this.visit(c, OTHER);
    }
    const args = g ? this.args(n, g, (i, key) => ({ kind: 'new', types, index: i, ...(key !== undefined ? { name: key } : {}) })) : [];
    const p = at === n.start ? n : this.pos(at);
    this.facts.news.push({ types, line: p.line, column: p.column, endLine: g ? this.endLine(g.close + 1) : p.line, args });
    if (body) this.visit(body, OTHER);
    return types;
  }

  /** Walks a call's or constructor's arguments, each with the context its literals flow into. */
  private args(n: SNode, g: Group, ctx: (index: number, key: string | undefined) => LiteralContext, paramNames?: string[]): ArgFact[] {
    const parts = g.parts;
    const facts: ArgFact[] = parts.map((x) => {
      const text = this.src(x);
      const a: ArgFact = { text: text.length > 300 ? text.slice(0, 300) : text };
      if (/^"(?:[^"\\\n]|\\.)*"$/.test(text)) {
        a.literal = unquote(text);
        a.types = ['java.lang.String'];
      } else if (/^(?:this\.)?[A-Za-z_$][\w$]*$/.test(text)) {
        const v = this.lookup(text.replace(/^this\./, ''));
        if (v?.init !== undefined) a.init = v.init;
        if (v && v.types.length > 0) a.types = v.types;
      } else {
        const t = this.exprType(n, x);
        if (t.length > 0) a.types = t;
      }
      return a;
    });
    // A leading string literal that looks like a key names the value that follows:
    // `setProperty("mail.password", "…")`, but not `new Vote("Admin lost password", "…")`.
    const key = keyLike(facts[0]?.literal);
    // A parameter name of a method declared in this file is the better name when there is one.
    parts.forEach((x, i) => {
      const before = this.facts.news.length;
      const lit = ctx(i, paramNames?.[i] || (i > 0 && key !== undefined ? key : undefined));
      this.visitPart(n, x, lit);
      // An argument that is itself a `new` expression records who receives the object.
      // (nested `new`s in its arguments are recorded before it, so look it up by position)
      if (lit.method && facts[i]!.text.startsWith('new')) {
        const at = x.node ?? this.pos(x.start);
        const created = this.facts.news.slice(before).find((c) => c.line === at.line && c.column === at.column);
        if (created) created.consumer = lit.method;
      }
    });
    return facts;
  }

  private callExpr(n: SNode): Receiver {
    const g = this.group(n, n.start, n.end);
    if (!g) {
      this.visitChildren(n, OTHER);
      return NO_RECEIVER;
    }
    const id = this.identBefore(g.open, n.start);
    const method = id.name;
    if (!method) {
      this.visitChildren(n, OTHER);
      return NO_RECEIVER;
    }
    // Before the name: `obj.`, `obj.<T>`, or nothing
    let i = this.skipTriviaBack(id.start, n.start);
    let typeArgs: SNode | undefined;
    if (this.text.charCodeAt(i - 1) === 62 /* > */) {
      // `obj.<T>name(…)`: back over the type arguments
      typeArgs = n.children.find((c) => c.kind === 'typeargs' && c.end === i);
      let open = typeArgs?.start ?? -1;
      if (!typeArgs) {
        let depth = 0;
        for (let j = i - 1; j > n.start; j--) {
          const c = this.text.charCodeAt(j);
          if (c === 62) depth++;
          else if (c === 60 && --depth === 0) {
            open = j;
            break;
          }
        }
      }
      if (open >= 0) i = this.skipTriviaBack(open, n.start);
    }
    let recv: Receiver;
    if (this.text.charCodeAt(i - 1) === 46 /* . */) {
      const objEnd = this.skipTriviaBack(i - 1, n.start);
      recv = this.receiver(n, { start: n.start, end: objEnd, node: this.exactly(n, n.start, objEnd) }, { kind: 'receiver', method });
    } else recv = { types: [], unqualified: true };
    if (typeArgs) this.visit(typeArgs, OTHER);
    const p = this.pos(id.start);
    return this.call(n, method, p, recv, g);
  }

  private call(n: SNode, method: string, at: { line: number; column: number }, recv: Receiver, g: Group): Receiver {
    let types = recv.types;
    let isStatic = recv.isStatic ?? false;
    const argCount = g.parts.length;
    const local = (recv.unqualified || recv.isThis) && this.params.has(`${method}/${argCount}`);
    if (recv.unqualified && !local) {
      const owner = this.resolver.staticOwner(method);
      if (owner.length > 0) {
        types = owner;
        isStatic = true;
      }
    }
    const paramNames = local ? this.params.get(`${method}/${argCount}`) : undefined;
    const args = this.args(n, g, (i, key) => ({ kind: 'arg', method, types, index: i, ...(key !== undefined ? { name: key } : {}) }), paramNames);
    const fact = { method, types, isStatic, line: at.line, column: at.column, endLine: this.endLine(g.close + 1), args } as JavaFacts['calls'][number];
    if (recv.receiverCall) fact.receiverCall = recv.receiverCall;
    if (recv.receiverName) fact.receiverName = recv.receiverName;
    if (recv.text) fact.receiverText = recv.text;
    if (this.loopDepth > 0) fact.inLoop = true;
    this.facts.calls.push(fact);
    if (recv.receiverName && MUTATORS.has(method) && this.initDepth === 0) {
      const v = this.lookup(recv.receiverName);
      if (v?.field?.static) v.field.mutations++;
    }
    return { types: returnTypeOf(types, method), receiverCall: method, text: `${recv.text ? `${recv.text}.` : ''}${method}()` };
  }

  /**
   * What an expression denotes when something is called on it or read from it: a variable, a
   * type, the result of a call, a cast, a `new`. Walks the expression (its facts count like any
   * other); `lit` is the context a literal there flows into (`"x".equals(y)`: the receiver).
   */
  private receiver(parent: SNode, x: Span, lit: LiteralContext): Receiver {
    const node = x.node;
    if (node) {
      switch (node.kind) {
        case 'call':
          return this.callExpr(node);
        case 'new':
          return { types: this.newExpr(node), text: this.src(node) };
        case 'fieldaccess':
          return this.fieldAccess(node, lit);
        case 'cast': {
          const r: Receiver = { types: this.exprType(parent, x), text: this.src(node) };
          this.visit(node, lit);
          return r;
        }
        default:
          this.visit(node, lit);
          return NO_RECEIVER;
      }
    }
    const raw = this.src(x);
    const text = cleanName(raw);
    if (DOTTED.test(text)) {
      const parts = text.split('.');
      if (text === 'this') return { types: [], isThis: true, text: 'this' };
      // `Outer.this.x` and `Foo.class.getName()` are not names
      if (!parts.includes('this') && !parts.includes('class')) return this.receiverOf(parts, x.start);
    }
    if (raw.charCodeAt(0) === 40 /* ( */ && this.closes(parent, x)) {
      const r: Receiver = { types: this.exprType(parent, x), text: raw };
      this.visitIn(parent, x.start, x.end, lit);
      return r;
    }
    this.visitIn(parent, x.start, x.end, lit);
    return NO_RECEIVER;
  }

  /** Whether the `(` opening a span is closed by its last character: `(a).b`, not `(a) + (b)`. */
  private closes(parent: SNode, x: Span): boolean {
    const g = this.group(parent, x.start, x.end, true);
    return g !== undefined && g.open === x.start && g.close === x.end - 1;
  }

  private fieldAccess(n: SNode, lit: LiteralContext): Receiver {
    const whole = cleanName(this.src(n));
    if (DOTTED.test(whole)) {
      const parts = whole.split('.');
      // `Outer.this.x` is no name; `this.x` is read below
      if (!parts.includes('this')) return this.receiverOf(parts, n.start);
    }
    // `obj.field`: the field is the last identifier, after the last top-level dot
    const id = this.identBefore(n.end, n.start);
    const dot = this.skipTriviaBack(id.start, n.start);
    if (!id.name || this.text.charCodeAt(dot - 1) !== 46) {
      this.visitChildren(n, OTHER);
      return NO_RECEIVER;
    }
    const objEnd = this.skipTriviaBack(dot - 1, n.start);
    const obj: Span = { start: n.start, end: objEnd, node: this.exactly(n, n.start, objEnd) };
    const name = id.name;
    const inner = obj.node || cleanName(this.src(obj)) !== 'this' ? this.receiver(n, obj, OTHER) : { types: [], isThis: true, text: 'this' };
    if (name === 'this') return NO_RECEIVER;
    if (inner.isThis) {
      const v = this.lookup(name);
      return { types: v?.types ?? [], receiverName: name, text: v?.init ? `this.${name} = ${v.init}` : `this.${name}` };
    }
    void lit;
    return { types: [], text: `${inner.text ?? ''}.${name}` };
  }

  /** What a dotted name before a call or field access denotes: a variable, a type, or a qualified type. */
  private receiverOf(names: string[], at: number): Receiver {
    if (names.length === 0) return { types: [], unqualified: true };
    const text = names.join('.');
    const first = names[0]!;
    if (first === 'super') return { types: [], text };
    const v = this.lookup(first);
    if (v) {
      if (names.length === 1) return { types: v.types, receiverName: first, text: v.init ? `${first} = ${v.init}` : first };
      return { types: [], receiverName: names[names.length - 1]!, text };
    }
    let k: number;
    let typeName: string;
    if (/^[A-Z]/.test(first) || this.resolver.knows(first)) {
      k = 1;
      while (k < names.length && /^[A-Z]/.test(names[k]!) && !/^[A-Z][A-Z0-9_]+$/.test(names[k]!)) k++;
      typeName = names.slice(0, k).join('.');
    } else {
      k = names.findIndex((s) => /^[A-Z]/.test(s));
      // `logger.info(…)` with `logger` inherited or otherwise undeclared here: an unknown receiver.
      if (k < 0) return { types: [], receiverName: names[names.length - 1]!, text };
      k++;
      typeName = names.slice(0, k).join('.');
    }
    const types = this.resolver.resolve(typeName);
    if (this.typeRefs) {
      const p = this.pos(at);
      this.facts.typeRefs.push({ types, line: p.line, column: p.column });
    }
    if (k === names.length) return { types, isStatic: true, text };
    // `Type.FIELD.put(…)`: a static field of a type declared here resolves to the field.
    const rest = names.slice(k);
    if (rest.length === 1) {
      const f = this.lookup(rest[0]!);
      if (f?.field?.static) return { types: f.types, receiverName: rest[0]!, text };
    }
    return { types: [], receiverName: rest[rest.length - 1]!, text };
  }

  /** The type of a simple expression (cast, `new`, variable), for receivers like `((Foo) x).bar()`. */
  private exprType(parent: SNode, x: Span): string[] {
    for (let depth = 0; depth < 12; depth++) {
      const node = x.node;
      if (node) {
        if (node.kind === 'cast') {
          const g = this.group(node, node.start, node.end, true);
          if (!g || g.open !== node.start || PRIMITIVE.test(this.text.slice(g.open + 1, g.close).trim())) return [];
          return this.declaredType(this.typeAt(node, g.open + 1, g.close));
        }
        if (node.kind === 'new') return this.newTypes(node);
        return [];
      }
      const text = this.src(x);
      if (SIMPLE_NAME.test(text)) return this.lookup(text)?.types ?? [];
      if (text.charCodeAt(0) !== 40 || !this.closes(parent, x)) return [];
      const start = this.skipTrivia(x.start + 1, x.end - 1);
      const end = this.skipTriviaBack(x.end - 1, start);
      x = { start, end, node: this.exactly(parent, start, end) };
    }
    return [];
  }
}

export function factsFromTree(roots: SNode[], text: string, typeRefs = true): JavaFacts {
  return new TreeWalker(text, typeRefs).run(roots);
}
