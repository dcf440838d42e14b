/**
 * One walk over java-parser's CST collecting a file's facts. The walk keeps a scope chain (fields of
 * the enclosing classes, then parameters and locals of the enclosing members) so a call's receiver
 * resolves to the type its variable was declared with — a local variable called `Files` is not
 * `java.nio.file.Files`. Comments live outside the CST, so they can never produce a fact.
 */
import { lexAndParse } from 'java-parser';

// java-parser's own typings name every production; the walk is generic, so it uses these shapes.
interface IToken {
  image: string;
  tokenType: { name: string };
  startOffset: number;
  startLine: number;
  startColumn: number;
  endLine: number;
}
interface CstNode {
  name: string;
  children: Record<string, CstElement[]>;
  location: { startOffset: number; endOffset: number; startLine: number; startColumn: number };
}
type CstElement = IToken | CstNode;
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

const OTHER: LiteralContext = { kind: 'other' };

/** Nodes a literal's value passes through unchanged on its way to whatever consumes it. */
const TRANSPARENT = new Set([
  'expression',
  'conditionalExpression',
  'binaryExpression',
  'primary',
  'unaryExpression',
  'unaryExpressionNotPlusMinus',
  'parenthesisExpression',
  'castExpression',
  'referenceTypeCastExpression',
  'primitiveCastExpression',
  'variableInitializer',
  'arrayInitializer',
  'variableInitializerList',
  'elementValue',
  'elementValueArrayInitializer',
  'elementValueList',
  'literal',
  'primaryPrefix',
]);

function isToken(e: CstElement): e is IToken {
  return (e as IToken).image !== undefined;
}

function kids(n: CstNode, name: string): CstElement[] {
  return n.children[name] ?? [];
}

function node(n: CstNode | undefined, name: string): CstNode | undefined {
  const c = n?.children[name]?.[0];
  return c && !isToken(c) ? c : undefined;
}

function nodes(n: CstNode | undefined, name: string): CstNode[] {
  return (n?.children[name] ?? []).filter((c): c is CstNode => !isToken(c));
}

function tok(n: CstNode | undefined, name: string): IToken | undefined {
  const c = n?.children[name]?.[0];
  return c && isToken(c) ? c : undefined;
}

function toks(n: CstNode | undefined, name: string): IToken[] {
  return (n?.children[name] ?? []).filter(isToken);
}

/** First token of a subtree, in source order. */
function firstToken(n: CstElement): IToken | undefined {
  if (isToken(n)) return n;
  let best: IToken | undefined;
  for (const list of Object.values(n.children)) {
    for (const c of list) {
      const t = firstToken(c);
      if (t && (!best || t.startOffset < best.startOffset)) best = t;
    }
  }
  return best;
}

/** Finds descendant nodes by name without entering nested class bodies or the names in `stop`. */
function findAll(n: CstNode, names: Set<string>, out: CstNode[], stop: Set<string>): void {
  for (const list of Object.values(n.children)) {
    for (const c of list) {
      if (isToken(c)) continue;
      if (names.has(c.name)) out.push(c);
      if (!stop.has(c.name)) findAll(c, names, out, stop);
    }
  }
}

const NO_DESCEND = new Set(['classBody']);
const TYPE_DECLS = new Set(['normalClassDeclaration', 'normalInterfaceDeclaration', 'enumDeclaration', 'recordDeclaration', 'annotationInterfaceDeclaration']);

export interface ParseOutcome {
  facts: JavaFacts;
  error?: { message: string; line?: number };
}

export function parseJava(text: string): ParseOutcome {
  let cst: CstNode;
  try {
    cst = lexAndParse(text).cst as unknown as CstNode;
  } catch (e) {
    const raw = (e as Error).message ?? String(e);
    const line = /line:?\s*(\d+)/.exec(raw);
    const first = raw
      .split('\n')
      .slice(0, 2)
      .join(' ')
      .replace(/^Sad sad panda, /, '')
      .replace(/(parsing|lexing) errors detected in line: (\d+), column: (\d+)!\s*/, (_, kind: string, l: string, c: string) => `${kind === 'lexing' ? 'lexical' : 'syntax'} error at line ${l}, column ${c}: `)
      .replace(/-->\s*(.*?)\s*<--/g, '$1')
      .replace(/->(.*?)<-/g, '$1')
      .replace(/!\s*$/, '');
    const error: { message: string; line?: number } = { message: `Java parse error: ${first.slice(0, 300)}` };
    if (line) error.line = Number(line[1]);
    return { facts: emptyFacts(true), error };
  }
  return { facts: new CstWalker(text).run(cst) };
}

class CstWalker {
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

  constructor(private readonly text: string) {}

  run(cst: CstNode): JavaFacts {
    const unit = node(cst, 'ordinaryCompilationUnit');
    if (!unit) return this.facts;
    const pkg = node(unit, 'packageDeclaration');
    if (pkg) this.facts.package = toks(pkg, 'Identifier').map((t) => t.image).join('.');
    this.resolver = new TypeResolver(this.facts.package);
    for (const imp of nodes(unit, 'importDeclaration')) {
      const name = node(imp, 'packageOrTypeName');
      if (!name) continue;
      const isStatic = tok(imp, 'Static') !== undefined;
      const onDemand = tok(imp, 'Star') !== undefined;
      const base = toks(name, 'Identifier').map((t) => t.image).join('.');
      const at = tok(imp, 'Import')!;
      this.facts.imports.push({ name: onDemand ? `${base}.*` : base, static: isStatic, onDemand, own: isOwnImport(base, this.facts.package), line: at.startLine, column: at.startColumn ?? 1 });
      this.resolver.addImport(base, isStatic, onDemand);
    }
    const types = nodes(unit, 'typeDeclaration');
    for (const t of types) this.declareTypes(t, this.facts.package);
    for (const t of types) this.visit(t, OTHER);
    return this.facts;
  }

  private src(n: CstNode): string {
    return this.text.slice(n.location.startOffset, n.location.endOffset + 1);
  }

  /** Registers every class/interface/enum/record name declared in the file, and its methods' parameter names. */
  private declareTypes(n: CstNode, outer: string | undefined): void {
    for (const list of Object.values(n.children)) {
      for (const c of list) {
        if (isToken(c)) continue;
        if (c.name === 'block' || c.name === 'methodBody' || c.name === 'variableInitializer' || c.name === 'constructorBody') continue;
        let next = outer;
        if (TYPE_DECLS.has(c.name)) {
          const id = tok(node(c, 'typeIdentifier'), 'Identifier') ?? tok(c, 'Identifier');
          if (id) {
            const fqn = outer ? `${outer}.${id.image}` : id.image;
            this.resolver.declare(id.image, fqn);
            next = fqn;
          }
        } else if (c.name === 'methodDeclarator') {
          const id = tok(c, 'Identifier');
          const ps = nodes(node(c, 'formalParameterList'), 'formalParameter');
          const names = ps.map((p) => {
            const r = node(p, 'variableParaRegularParameter') ?? node(p, 'variableArityParameter');
            return tok(node(r, 'variableDeclaratorId'), 'Identifier')?.image ?? tok(r, 'Identifier')?.image ?? '';
          });
          if (id) this.params.set(`${id.image}/${names.length}`, names);
        }
        this.declareTypes(c, next);
      }
    }
  }

  private lookup(name: string): Var | undefined {
    for (let i = this.scopes.length - 1; i >= 0; i--) {
      const v = this.scopes[i]!.get(name);
      if (v) return v;
    }
    return undefined;
  }

  /** The declared type of an `unannType`/`localVariableType` subtree, resolved; `var` infers from `new T(…)`. */
  private declaredType(typeNode: CstNode | undefined, init?: CstNode): string[] {
    if (!typeNode) return [];
    const cls: CstNode[] = [];
    findAll(typeNode, new Set(['unannClassType', 'classType']), cls, new Set(['typeArguments']));
    const c = cls[0];
    if (!c) return [];
    const name = toks(c, 'Identifier').map((t) => t.image).join('.');
    if (name === 'var' || (tok(c, 'Var') && !name)) {
      if (!init) return [];
      const news: CstNode[] = [];
      findAll(init, new Set(['classOrInterfaceTypeToInstantiate']), news, NO_DESCEND);
      const inst = news[0];
      return inst ? this.resolver.resolve(toks(inst, 'Identifier').map((t) => t.image).join('.')) : [];
    }
    return name ? this.resolver.resolve(name) : [];
  }

  private fieldsOf(body: CstNode): Scope {
    const scope: Scope = new Map();
    const decls: CstNode[] = [];
    findAll(body, new Set(['fieldDeclaration', 'constantDeclaration']), decls, new Set(['classBody', 'block', 'methodDeclaration', 'constructorDeclaration', 'interfaceMethodDeclaration', 'enumConstant']));
    for (const d of decls) {
      const isConstant = d.name === 'constantDeclaration';
      const mods = nodes(d, isConstant ? 'constantModifier' : 'fieldModifier');
      const isStatic = isConstant || mods.some((m) => tok(m, 'Static'));
      const isFinal = isConstant || mods.some((m) => tok(m, 'Final'));
      const annotations = mods.flatMap((m) => nodes(m, 'annotation')).flatMap((a) => this.resolver.resolve(toks(node(a, 'typeName'), 'Identifier').map((t) => t.image).join('.')));
      for (const v of nodes(node(d, 'variableDeclaratorList'), 'variableDeclarator')) {
        const id = tok(node(v, 'variableDeclaratorId'), 'Identifier');
        if (!id) continue;
        const initNode = node(v, 'variableInitializer');
        const types = this.declaredType(node(d, 'unannType'), initNode);
        const field: FieldFact = { name: id.image, types, static: isStatic, final: isFinal, line: id.startLine, column: id.startColumn ?? 1, mutations: 0, annotations };
        if (initNode) field.init = this.src(initNode).slice(0, 300);
        this.facts.fields.push(field);
        const entry: Var = { types, field };
        if (field.init !== undefined) entry.init = field.init;
        scope.set(id.image, entry);
      }
    }
    return scope;
  }

  /**
   * Declares the parameter or local variable(s) a declaration node introduces in the innermost
   * member scope. Called as the walk reaches the declaration, which in Java precedes every use.
   */
  private declareLocal(d: CstNode): void {
    const scope = this.scopes[this.scopes.length - 1];
    if (!scope) return;
    switch (d.name) {
      case 'formalParameter': {
        const r = node(d, 'variableParaRegularParameter') ?? node(d, 'variableArityParameter');
        const id = tok(node(r, 'variableDeclaratorId'), 'Identifier') ?? tok(r, 'Identifier');
        if (id) scope.set(id.image, { types: this.declaredType(node(r, 'unannType')) });
        break;
      }
      case 'localVariableDeclaration': {
        const typeNode = node(d, 'localVariableType');
        for (const v of nodes(node(d, 'variableDeclaratorList'), 'variableDeclarator')) {
          const id = tok(node(v, 'variableDeclaratorId'), 'Identifier');
          if (!id) continue;
          const initNode = node(v, 'variableInitializer');
          const entry: Var = { types: this.declaredType(typeNode, initNode) };
          if (initNode) entry.init = this.src(initNode).slice(0, 300);
          scope.set(id.image, entry);
        }
        break;
      }
      case 'catchFormalParameter': {
        const id = tok(node(d, 'variableDeclaratorId'), 'Identifier');
        if (id) scope.set(id.image, { types: this.declaredType(node(d, 'catchType')) });
        break;
      }
      case 'regularLambdaParameter': {
        const id = tok(node(d, 'variableDeclaratorId'), 'Identifier');
        if (id) scope.set(id.image, { types: this.declaredType(node(d, 'lambdaParameterType')) });
        break;
      }
      case 'conciseLambdaParameter':
      case 'lambdaParameters': {
        // An untyped lambda parameter shadows whatever outer name it reuses.
        const id = tok(d, 'Identifier');
        if (id) scope.set(id.image, { types: [] });
        break;
      }
    }
  }

  private visitChildren(n: CstNode, lit: LiteralContext): void {
    for (const list of Object.values(n.children)) for (const c of list) this.visit(c, lit);
  }

  private visit(e: CstElement, lit: LiteralContext): void {
    if (isToken(e)) {
      const type = e.tokenType.name;
      if (type === 'StringLiteral' || type === 'TextBlock') {
        this.facts.literals.push({ value: unquote(e.image), line: e.startLine, column: e.startColumn ?? 1, endLine: e.endLine ?? e.startLine, ctx: lit });
      }
      return;
    }
    const n = e;
    if (!TRANSPARENT.has(n.name)) lit = OTHER;
    switch (n.name) {
      case 'classBody':
      case 'interfaceBody':
      case 'enumBody':
      case 'recordBody':
      case 'annotationInterfaceBody': {
        this.scopes.push(this.fieldsOf(n));
        this.visitChildren(n, OTHER);
        this.scopes.pop();
        return;
      }
      case 'classExtends':
      case 'classImplements':
      case 'interfaceExtends': {
        const kind = n.name === 'classImplements' ? 'implements' : 'extends';
        const list: CstNode[] = [];
        findAll(n, new Set(['classType']), list, new Set(['typeArguments']));
        for (const c of list) {
          const id = toks(c, 'Identifier');
          if (id.length === 0) continue;
          const types = this.resolver.resolve(id.map((t) => t.image).join('.'));
          this.facts.inherits.push({ types, kind, line: id[0]!.startLine, column: id[0]!.startColumn ?? 1 });
        }
        this.visitChildren(n, OTHER);
        return;
      }
      case 'fieldDeclaration':
      case 'constantDeclaration': {
        const isConstant = n.name === 'constantDeclaration';
        const mods = nodes(n, isConstant ? 'constantModifier' : 'fieldModifier');
        const constant = isConstant || (mods.some((m) => tok(m, 'Static')) && mods.some((m) => tok(m, 'Final')));
        for (const m of mods) this.visit(m, OTHER);
        const t = node(n, 'unannType');
        if (t) this.visit(t, OTHER);
        this.initDepth++;
        for (const v of nodes(node(n, 'variableDeclaratorList'), 'variableDeclarator')) {
          const id = tok(node(v, 'variableDeclaratorId'), 'Identifier');
          const init = node(v, 'variableInitializer');
          if (init) this.visit(init, { kind: 'field', name: id?.image ?? '', constant });
        }
        this.initDepth--;
        return;
      }
      case 'formalParameter':
      case 'catchFormalParameter':
      case 'regularLambdaParameter':
      case 'conciseLambdaParameter':
      case 'lambdaParameters':
        this.declareLocal(n);
        this.visitChildren(n, OTHER);
        return;
      case 'localVariableDeclaration': {
        this.declareLocal(n);
        const t = node(n, 'localVariableType');
        if (t) this.visit(t, OTHER);
        for (const m of nodes(n, 'variableModifier')) this.visit(m, OTHER);
        for (const v of nodes(node(n, 'variableDeclaratorList'), 'variableDeclarator')) {
          const id = tok(node(v, 'variableDeclaratorId'), 'Identifier');
          const init = node(v, 'variableInitializer');
          if (init) this.visit(init, { kind: 'variable', name: id?.image ?? '' });
        }
        return;
      }
      case 'methodDeclaration':
      case 'interfaceMethodDeclaration':
      case 'constructorDeclaration':
      case 'staticInitializer':
      case 'instanceInitializer':
      case 'compactConstructorDeclaration': {
        let name = '';
        if (n.name === 'methodDeclaration' || n.name === 'interfaceMethodDeclaration') {
          const decl = node(node(n, 'methodHeader'), 'methodDeclarator');
          const id = tok(decl, 'Identifier');
          name = id?.image ?? '';
          const mods = nodes(n, n.name === 'methodDeclaration' ? 'methodModifier' : 'interfaceMethodModifier');
          if (id && mods.some((m) => tok(m, 'Native'))) this.facts.natives.push({ name, line: id.startLine, column: id.startColumn ?? 1 });
        }
        const isStaticInit = n.name === 'staticInitializer';
        if (isStaticInit) this.initDepth++;
        // Member bodies are walked outside any field initializer, whatever encloses them.
        const savedInit = this.initDepth;
        if (!isStaticInit) this.initDepth = 0;
        const savedLoop = this.loopDepth;
        this.loopDepth = 0;
        this.memberNames.push(name);
        this.scopes.push(new Map());
        this.visitChildren(n, OTHER);
        this.scopes.pop();
        this.memberNames.pop();
        this.loopDepth = savedLoop;
        this.initDepth = savedInit;
        if (isStaticInit) this.initDepth--;
        return;
      }
      case 'lambdaExpression': {
        // Lambdas in field initializers are code that runs later, not initialization.
        const saved = this.initDepth;
        this.initDepth = 0;
        this.scopes.push(new Map());
        this.visitChildren(n, OTHER);
        this.scopes.pop();
        this.initDepth = saved;
        return;
      }
      case 'whileStatement':
      case 'doStatement':
      case 'basicForStatement':
      case 'enhancedForStatement': {
        this.loopDepth++;
        this.visitChildren(n, OTHER);
        this.loopDepth--;
        return;
      }
      case 'returnStatement': {
        const name = this.memberNames[this.memberNames.length - 1];
        for (const c of nodes(n, 'expression')) this.visit(c, name ? { kind: 'return', name } : OTHER);
        return;
      }
      case 'binaryExpression': {
        const assign = tok(n, 'AssignmentOperator');
        if (assign) {
          const left = nodes(n, 'unaryExpression')[0];
          const name = left ? /([A-Za-z_$][\w$]*)\s*$/.exec(this.src(left))?.[1] : undefined;
          if (left) this.visit(left, OTHER);
          for (const r of nodes(n, 'expression')) this.visit(r, name ? { kind: 'assign', name } : OTHER);
          return;
        }
        // Concatenation and comparison keep the consumer: `"jdbc:…//" + host` is still what `url` receives.
        this.visitChildren(n, lit);
        return;
      }
      case 'annotation':
        this.annotation(n);
        return;
      case 'referenceTypeCastExpression': {
        const t = node(n, 'referenceType');
        const first = t && firstToken(t);
        if (t && first) this.facts.casts.push({ types: this.declaredType(t), line: first.startLine, column: first.startColumn ?? 1 });
        this.visitChildren(n, lit);
        return;
      }
      case 'unannClassType':
      case 'classType': {
        const ids = toks(n, 'Identifier');
        if (ids.length > 0 && !(ids.length === 1 && ids[0]!.image === 'var')) {
          this.facts.typeRefs.push({ types: this.resolver.resolve(ids.map((t) => t.image).join('.')), line: ids[0]!.startLine, column: ids[0]!.startColumn ?? 1 });
        }
        this.visitChildren(n, OTHER);
        return;
      }
      case 'primary':
        this.primary(n, lit);
        return;
      case 'unqualifiedClassInstanceCreationExpression':
        this.newExpr(n);
        return;
      case 'explicitConstructorInvocation': {
        const inv = node(n, 'unqualifiedExplicitConstructorInvocation') ?? node(n, 'qualifiedExplicitConstructorInvocation');
        const args = nodes(node(inv, 'argumentList'), 'expression');
        args.forEach((a, i) => this.visit(a, { kind: 'arg', method: 'super', index: i }));
        return;
      }
      default:
        this.visitChildren(n, lit);
    }
  }

  private annotation(n: CstNode): void {
    const at = tok(n, 'At')!;
    const name = toks(node(n, 'typeName'), 'Identifier').map((t) => t.image).join('.');
    const types = this.resolver.resolve(name);
    const attrs: Record<string, string> = {};
    const pairs = nodes(node(n, 'elementValuePairList'), 'elementValuePair');
    for (const p of pairs) {
      const key = tok(p, 'Identifier')?.image ?? '';
      const v = node(p, 'elementValue');
      if (!v) continue;
      attrs[key] = this.src(v);
      this.visit(v, { kind: 'annotation', name: key, types });
    }
    const single = node(n, 'elementValue');
    if (single) {
      attrs.value = this.src(single);
      this.visit(single, { kind: 'annotation', name: 'value', types });
    }
    this.facts.annotations.push({ types, attrs, line: at.startLine, column: at.startColumn ?? 1 });
  }

  private newExpr(n: CstNode): string[] {
    const at = tok(n, 'New')!;
    const inst = node(n, 'classOrInterfaceTypeToInstantiate');
    const ids = toks(inst, 'Identifier');
    const types = ids.length ? this.resolver.resolve(ids.map((t) => t.image).join('.')) : [];
    if (inst) {
      if (ids[0]) this.facts.typeRefs.push({ types, line: ids[0].startLine, column: ids[0].startColumn ?? 1 });
      for (const c of [...kids(inst, 'typeArgumentsOrDiamond'), ...kids(inst, 'annotation')]) this.visit(c, OTHER);
    }
    const args = this.args(node(n, 'argumentList'), (i, key) => ({ kind: 'new', types, index: i, ...(key !== undefined ? { name: key } : {}) }));
    const close = tok(n, 'RBrace');
    this.facts.news.push({ types, line: at.startLine, column: at.startColumn ?? 1, endLine: close?.endLine ?? at.startLine, args });
    const body = node(n, 'classBody');
    if (body) this.visit(body, OTHER);
    return types;
  }

  /** Walks a call's or constructor's arguments, each with the context its literals flow into. */
  private args(list: CstNode | undefined, ctx: (index: number, key: string | undefined) => LiteralContext, paramNames?: string[]): ArgFact[] {
    const exprs = nodes(list, 'expression');
    const facts: ArgFact[] = exprs.map((x) => {
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
        const t = this.exprType(x);
        if (t.length > 0) a.types = t;
      }
      return a;
    });
    // A leading string literal that looks like a key names the value that follows:
    // `setProperty("mail.password", "…")`, but not `new Vote("Admin lost password", "…")`.
    const key = keyLike(facts[0]?.literal);
    // A parameter name of a method declared in this file is the better name when there is one.
    exprs.forEach((x, i) => {
      const before = this.facts.news.length;
      const lit = ctx(i, paramNames?.[i] || (i > 0 && key !== undefined ? key : undefined));
      this.visit(x, lit);
      // An argument that is itself a `new` expression records who receives the object.
      // (nested `new`s in its arguments are recorded before it, so look it up by position)
      if (lit.method && facts[i]!.text.startsWith('new')) {
        const created = this.facts.news.slice(before).find((n) => n.line === x.location.startLine && n.column === x.location.startColumn);
        if (created) created.consumer = lit.method;
      }
    });
    return facts;
  }

  private call(nameTok: IToken, recv: Receiver, invocation: CstNode): Receiver {
    const method = nameTok.image;
    let types = recv.types;
    let isStatic = recv.isStatic ?? false;
    const argCount = nodes(node(invocation, 'argumentList'), 'expression').length;
    const local = (recv.unqualified || recv.isThis) && this.params.has(`${method}/${argCount}`);
    if (recv.unqualified && !local) {
      const owner = this.resolver.staticOwner(method);
      if (owner.length > 0) {
        types = owner;
        isStatic = true;
      }
    }
    const paramNames = local ? this.params.get(`${method}/${argCount}`) : undefined;
    const args = this.args(node(invocation, 'argumentList'), (i, key) => ({ kind: 'arg', method, types, index: i, ...(key !== undefined ? { name: key } : {}) }), paramNames);
    const close = tok(invocation, 'RBrace');
    const fact = { method, types, isStatic, line: nameTok.startLine, column: nameTok.startColumn ?? 1, endLine: close?.endLine ?? nameTok.startLine, args } as JavaFacts['calls'][number];
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

  /** What a dotted name before a call or field access denotes: a variable, a type, or a qualified type. */
  private receiverOf(parts: IToken[]): Receiver {
    if (parts.length === 0) return { types: [], unqualified: true };
    const names = parts.map((p) => p.image);
    const text = names.join('.');
    const first = names[0]!;
    if (first === 'super') return { types: [], text };
    const v = this.lookup(first);
    if (v) {
      if (parts.length === 1) return { types: v.types, receiverName: first, text: v.init ? `${first} = ${v.init}` : first };
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
    this.facts.typeRefs.push({ types, line: parts[0]!.startLine, column: parts[0]!.startColumn ?? 1 });
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
  private exprType(n: CstNode | undefined): string[] {
    let cur = n;
    for (let i = 0; i < 12 && cur; i++) {
      if (cur.name === 'referenceTypeCastExpression') return this.declaredType(node(cur, 'referenceType') ?? cur);
      if (cur.name === 'unqualifiedClassInstanceCreationExpression') {
        const ids = toks(node(cur, 'classOrInterfaceTypeToInstantiate'), 'Identifier');
        return ids.length ? this.resolver.resolve(ids.map((t) => t.image).join('.')) : [];
      }
      if (cur.name === 'primary') {
        if (kids(cur, 'primarySuffix').length > 0) return [];
        const prefix = node(cur, 'primaryPrefix');
        const fq = node(prefix, 'fqnOrRefType');
        if (fq) {
          const ids = this.fqnParts(fq);
          if (ids.length === 1) return this.lookup(ids[0]!.image)?.types ?? [];
          return [];
        }
        cur = prefix;
        continue;
      }
      const list = Object.values(cur.children).flat().filter((c): c is CstNode => !isToken(c));
      if (list.length !== 1) return [];
      cur = list[0];
    }
    return [];
  }

  private fqnParts(fq: CstNode): IToken[] {
    const parts: IToken[] = [];
    for (const part of [...nodes(fq, 'fqnOrRefTypePartFirst'), ...nodes(fq, 'fqnOrRefTypePartRest')]) {
      const common = node(part, 'fqnOrRefTypePartCommon');
      const id = tok(common, 'Identifier') ?? tok(common, 'Super');
      if (id) parts.push(id);
      for (const a of [...nodes(part, 'annotation'), ...nodes(part, 'typeArguments'), ...nodes(common, 'typeArguments')]) this.visit(a, OTHER);
    }
    return parts.sort((a, b) => a.startOffset - b.startOffset);
  }

  private primary(n: CstNode, lit: LiteralContext): void {
    const prefix = node(n, 'primaryPrefix');
    const suffixes = nodes(n, 'primarySuffix');
    let cur: Receiver = { types: [] };
    let i = 0;
    if (prefix) {
      const fq = node(prefix, 'fqnOrRefType');
      const firstSuffix = suffixes[0];
      if (fq) {
        const parts = this.fqnParts(fq);
        const dims = node(fq, 'dims');
        if (dims) this.visit(dims, OTHER);
        const inv = firstSuffix && node(firstSuffix, 'methodInvocationSuffix');
        if (inv && parts.length > 0) {
          const nameTok = parts.pop()!;
          cur = this.call(nameTok, this.receiverOf(parts), inv);
          i = 1;
        } else if (parts.length > 0) {
          cur = this.receiverOf(parts);
        }
      } else if (tok(prefix, 'This')) {
        cur = { types: [], isThis: true, text: 'this' };
      } else {
        const nextCall = suffixes.length >= 2 && tok(suffixes[0], 'Identifier') ? tok(suffixes[0], 'Identifier')!.image : undefined;
        const prefixLit: LiteralContext = suffixes.length === 0 ? lit : nextCall ? { kind: 'receiver', method: nextCall } : OTHER;
        const newNode = node(node(prefix, 'newExpression'), 'unqualifiedClassInstanceCreationExpression');
        if (newNode) {
          cur = { types: this.newExpr(newNode), text: this.src(newNode) };
          const rest = node(prefix, 'newExpression');
          for (const c of nodes(rest, 'arrayCreationExpression')) this.visit(c, OTHER);
        } else {
          const inner = node(prefix, 'castExpression') ?? node(prefix, 'parenthesisExpression');
          if (inner) cur = { types: this.exprType(inner), text: this.src(inner) };
          this.visitChildren(prefix, prefixLit);
        }
      }
    }
    for (; i < suffixes.length; i++) {
      const s = suffixes[i]!;
      const id = tok(s, 'Identifier');
      if (id) {
        const inv = suffixes[i + 1] && node(suffixes[i + 1], 'methodInvocationSuffix');
        for (const t of nodes(s, 'typeArguments')) this.visit(t, OTHER);
        if (inv) {
          cur = this.call(id, cur, inv);
          i++;
        } else if (cur.isThis) {
          const v = this.lookup(id.image);
          cur = { types: v?.types ?? [], receiverName: id.image, text: v?.init ? `this.${id.image} = ${v.init}` : `this.${id.image}` };
        } else {
          cur = { types: [], text: `${cur.text ?? ''}.${id.image}` };
        }
        continue;
      }
      const inv = node(s, 'methodInvocationSuffix');
      if (inv) {
        // `this(…)`-like or a call on a parenthesized lambda: arguments still carry facts.
        this.args(node(inv, 'argumentList'), () => OTHER);
        cur = { types: [] };
        continue;
      }
      const inner = node(s, 'unqualifiedClassInstanceCreationExpression');
      if (inner) {
        cur = { types: this.newExpr(inner) };
        continue;
      }
      this.visitChildren(s, OTHER);
      cur = { types: [] };
    }
  }
}
