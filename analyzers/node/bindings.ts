/**
 * What an expression in one JS/TS file really refers to, without a type checker: `fs` in
 * `fs.writeFileSync` is the `fs` module only if the nearest declaration of `fs` in scope is a
 * `require('fs')` / `import` (or an alias of one). Rules then match module + member path, so a local
 * variable that happens to be called `fs` or `session` is never mistaken for the module.
 */
import { ts } from 'ts-morph';

/** A value traced back to a module: `module` normalized, `path` the member chain (`()` = call result). */
export interface ModuleRef {
  module: string;
  path: string[];
}

/** `undefined` from `resolveIdentifier` = an undeclared global (e.g. `setInterval`, `require`). */
export type Resolution = { kind: 'module'; ref: ModuleRef; decl?: ts.Node } | { kind: 'local'; decl: ts.Node } | undefined;

const MAX_DEPTH = 12;

/**
 * `node:fs` → `fs`, `fs/promises` and `fs.promises.*` → `fs`: the promise and callback APIs write
 * the same disk, so rules name each operation once.
 */
export function normalizeModule(spec: string): ModuleRef {
  let m = spec.replace(/^node:/, '');
  const path: string[] = [];
  if (m === 'fs/promises') m = 'fs';
  if (m === 'timers/promises') m = 'timers';
  return { module: m, path };
}

function extend(ref: ModuleRef, segment: string): ModuleRef {
  const path = [...ref.path, segment];
  // `require('fs').promises.writeFile` and `(await import('fs')).default.x` are the module's own API.
  if ((ref.module === 'fs' || ref.module === 'dns' || ref.module === 'timers') && path.length === 1 && segment === 'promises') return { module: ref.module, path: [] };
  if (path.length === 1 && segment === 'default') return { module: ref.module, path: [] };
  return { module: ref.module, path };
}

export function memberString(ref: ModuleRef): string {
  return ref.path.join('.').replace(/\.\(\)/g, '()');
}

const SCOPE_KINDS = new Set<ts.SyntaxKind>([
  ts.SyntaxKind.SourceFile,
  ts.SyntaxKind.Block,
  ts.SyntaxKind.ModuleBlock,
  ts.SyntaxKind.CaseClause,
  ts.SyntaxKind.DefaultClause,
  ts.SyntaxKind.CatchClause,
  ts.SyntaxKind.ForStatement,
  ts.SyntaxKind.ForInStatement,
  ts.SyntaxKind.ForOfStatement,
  ts.SyntaxKind.FunctionDeclaration,
  ts.SyntaxKind.FunctionExpression,
  ts.SyntaxKind.ArrowFunction,
  ts.SyntaxKind.MethodDeclaration,
  ts.SyntaxKind.Constructor,
  ts.SyntaxKind.GetAccessor,
  ts.SyntaxKind.SetAccessor,
  ts.SyntaxKind.ClassDeclaration,
  ts.SyntaxKind.ClassExpression,
]);

/** Scope lookups run for every identifier resolved, so this is a set lookup, not a chain of type guards. */
function isScope(n: ts.Node): boolean {
  return SCOPE_KINDS.has(n.kind);
}

type DeclGetter = () => Resolution;
const EMPTY: Map<string, DeclGetter> = new Map();

export class Bindings {
  private readonly scopes = new Map<ts.Node, Map<string, DeclGetter>>();
  private readonly evaluating = new Set<ts.Node>();

  constructor(readonly sf: ts.SourceFile) {}

  /** The nearest declaration of an identifier in its lexical scopes. */
  resolveIdentifier(id: ts.Identifier): Resolution {
    const name = id.text;
    for (let n: ts.Node | undefined = id.parent; n; n = n.parent) {
      if (!isScope(n)) continue;
      const get = this.declarations(n).get(name);
      if (get) return get();
    }
    return undefined;
  }

  /** True when the identifier is not declared anywhere in the file (a global such as `setInterval`). */
  isGlobal(id: ts.Identifier): boolean {
    for (let n: ts.Node | undefined = id.parent; n; n = n.parent) {
      if (isScope(n) && this.declarations(n).has(id.text)) return false;
    }
    return true;
  }

  /** The module value an expression evaluates to, if it can be traced to one. */
  evaluate(expr: ts.Node, depth = 0): ModuleRef | undefined {
    if (depth > MAX_DEPTH) return undefined;
    const e = skipOuter(expr);
    if (ts.isIdentifier(e)) {
      const r = this.resolveIdentifier(e);
      return r?.kind === 'module' ? r.ref : undefined;
    }
    if (ts.isCallExpression(e)) {
      const spec = requireSpecifier(e, this);
      if (spec !== undefined) return normalizeModule(spec);
      const callee = this.evaluate(e.expression, depth + 1);
      return callee ? extend(callee, '()') : undefined;
    }
    if (ts.isNewExpression(e)) {
      const callee = this.evaluate(e.expression, depth + 1);
      return callee ? extend(callee, '()') : undefined;
    }
    if (ts.isPropertyAccessExpression(e)) {
      const obj = this.evaluate(e.expression, depth + 1);
      return obj ? extend(obj, e.name.text) : undefined;
    }
    if (ts.isElementAccessExpression(e) && ts.isStringLiteralLike(e.argumentExpression)) {
      const obj = this.evaluate(e.expression, depth + 1);
      return obj ? extend(obj, e.argumentExpression.text) : undefined;
    }
    if (ts.isBinaryExpression(e) && (e.operatorToken.kind === ts.SyntaxKind.BarBarToken || e.operatorToken.kind === ts.SyntaxKind.QuestionQuestionToken)) {
      return this.evaluate(e.left, depth + 1) ?? this.evaluate(e.right, depth + 1);
    }
    if (ts.isConditionalExpression(e)) return this.evaluate(e.whenTrue, depth + 1) ?? this.evaluate(e.whenFalse, depth + 1);
    return undefined;
  }

  /** The const initializer an identifier is bound to (for following `const opts = {…}` into a call). */
  initializerOf(id: ts.Identifier): ts.Expression | undefined {
    const d = this.resolveIdentifier(id)?.decl;
    if (!d) return undefined;
    if (ts.isVariableDeclaration(d) && ts.isIdentifier(d.name) && d.initializer) {
      const list = d.parent;
      if (ts.isVariableDeclarationList(list) && list.flags & ts.NodeFlags.Const) return d.initializer;
      // `var`/`let` are followed too when never reassigned in this file (legacy code rarely uses const).
      if (!this.isReassigned(d.name.text, d)) return d.initializer;
    }
    return undefined;
  }

  private reassigned?: Set<string>;
  private isReassigned(name: string, _decl: ts.Node): boolean {
    if (!this.reassigned) {
      const set = new Set<string>();
      const visit = (n: ts.Node): void => {
        if (ts.isBinaryExpression(n) && n.operatorToken.kind >= ts.SyntaxKind.FirstAssignment && n.operatorToken.kind <= ts.SyntaxKind.LastAssignment && ts.isIdentifier(n.left)) set.add(n.left.text);
        if ((ts.isPrefixUnaryExpression(n) || ts.isPostfixUnaryExpression(n)) && ts.isIdentifier(n.operand)) set.add(n.operand.text);
        ts.forEachChild(n, visit);
      };
      visit(this.sf);
      this.reassigned = set;
    }
    return this.reassigned.has(name);
  }

  private declarations(scope: ts.Node): Map<string, DeclGetter> {
    let map = this.scopes.get(scope);
    if (map) return map;
    map = new Map();
    this.scopes.set(scope, map);
    const local = (decl: ts.Node): DeclGetter => () => ({ kind: 'local', decl });
    const addBindingName = (name: ts.BindingName, value: () => ModuleRef | undefined, decl: ts.Node): void => {
      if (ts.isIdentifier(name)) {
        // resolved once per declaration: `fs` is looked up at every `fs.x(…)` in the file
        let memo: Resolution | null = null;
        map!.set(name.text, () => {
          if (memo) return memo;
          if (this.evaluating.has(decl)) return { kind: 'local', decl };
          const ref = this.guarded(decl, value);
          memo = ref ? { kind: 'module', ref, decl } : { kind: 'local', decl };
          return memo;
        });
        return;
      }
      if (ts.isObjectBindingPattern(name)) {
        for (const el of name.elements) {
          if (el.dotDotDotToken) {
            addBindingName(el.name, () => undefined, decl);
            continue;
          }
          const prop = el.propertyName ?? (ts.isIdentifier(el.name) ? el.name : undefined);
          const key = prop && (ts.isIdentifier(prop) || ts.isStringLiteral(prop)) ? prop.text : undefined;
          addBindingName(el.name, () => {
            const base = value();
            return base && key ? extend(base, key) : undefined;
          }, decl);
        }
        return;
      }
      for (const el of name.elements) if (ts.isBindingElement(el)) addBindingName(el.name, () => undefined, decl);
    };
    const addVariables = (list: ts.VariableDeclarationList): void => {
      for (const d of list.declarations) {
        const init = d.initializer;
        addBindingName(d.name, () => (init ? this.evaluate(init) : undefined), d);
      }
    };
    const addStatement = (s: ts.Statement): void => {
      if (ts.isVariableStatement(s)) addVariables(s.declarationList);
      else if ((ts.isFunctionDeclaration(s) || ts.isClassDeclaration(s) || ts.isEnumDeclaration(s)) && s.name) map!.set(s.name.text, local(s));
      else if (ts.isImportDeclaration(s) && ts.isStringLiteral(s.moduleSpecifier) && s.importClause) {
        const mod = normalizeModule(s.moduleSpecifier.text);
        const clause = s.importClause;
        if (clause.name) map!.set(clause.name.text, () => ({ kind: 'module', ref: mod }));
        const nb = clause.namedBindings;
        if (nb && ts.isNamespaceImport(nb)) map!.set(nb.name.text, () => ({ kind: 'module', ref: mod }));
        if (nb && ts.isNamedImports(nb)) {
          for (const el of nb.elements) {
            const imported = (el.propertyName ?? el.name).text;
            map!.set(el.name.text, () => ({ kind: 'module', ref: extend(mod, imported) }));
          }
        }
      } else if (ts.isImportEqualsDeclaration(s)) {
        const ref = s.moduleReference;
        if (ts.isExternalModuleReference(ref) && ts.isStringLiteral(ref.expression)) {
          const mod = normalizeModule(ref.expression.text);
          map!.set(s.name.text, () => ({ kind: 'module', ref: mod }));
        } else map!.set(s.name.text, local(s));
      } else if (ts.isLabeledStatement(s)) addStatement(s.statement);
    };
    if (ts.isSourceFile(scope) || ts.isBlock(scope) || ts.isModuleBlock(scope) || ts.isCaseClause(scope) || ts.isDefaultClause(scope)) {
      for (const s of scope.statements) addStatement(s);
    } else if (ts.isCatchClause(scope)) {
      if (scope.variableDeclaration) addBindingName(scope.variableDeclaration.name, () => undefined, scope.variableDeclaration);
    } else if (ts.isForStatement(scope) || ts.isForInStatement(scope) || ts.isForOfStatement(scope)) {
      if (scope.initializer && ts.isVariableDeclarationList(scope.initializer)) {
        // a loop variable is never a module, whatever its initializer
        for (const d of scope.initializer.declarations) addBindingName(d.name, () => undefined, d);
      }
    } else if (ts.isFunctionLike(scope)) {
      for (const p of scope.parameters) addBindingName(p.name, () => undefined, p);
      if ((ts.isFunctionExpression(scope) || ts.isClassExpression(scope)) && scope.name) map.set(scope.name.text, local(scope));
      // function bodies are Blocks: their statements are their own scope
    } else if (ts.isClassLike(scope) && ts.isClassExpression(scope) && scope.name) {
      map.set(scope.name.text, local(scope));
    }
    if (map.size === 0) {
      // most blocks declare nothing: share one empty map instead of keeping thousands alive
      this.scopes.set(scope, EMPTY);
      return EMPTY;
    }
    return map;
  }

  private guarded(decl: ts.Node, value: () => ModuleRef | undefined): ModuleRef | undefined {
    if (this.evaluating.has(decl)) return undefined;
    this.evaluating.add(decl);
    try {
      return value();
    } finally {
      this.evaluating.delete(decl);
    }
  }
}

export function skipOuter(e: ts.Node): ts.Node {
  let n = e;
  for (;;) {
    if (ts.isParenthesizedExpression(n) || ts.isAsExpression(n) || ts.isNonNullExpression(n) || ts.isTypeAssertionExpression(n) || ts.isAwaitExpression(n) || ts.isSatisfiesExpression(n)) n = n.expression;
    else return n;
  }
}

/** `require('x')` (with `require` not shadowed) or `import('x')`: the specifier, else undefined. */
export function requireSpecifier(call: ts.CallExpression, b: Bindings): string | undefined {
  const arg = call.arguments[0];
  if (!arg || !ts.isStringLiteralLike(arg)) return undefined;
  if (call.expression.kind === ts.SyntaxKind.ImportKeyword) return arg.text;
  if (ts.isIdentifier(call.expression) && call.expression.text === 'require' && b.isGlobal(call.expression)) return arg.text;
  return undefined;
}
