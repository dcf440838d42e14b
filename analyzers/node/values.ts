/**
 * Static values of expressions, as far as one file shows them: string literals, templates,
 * concatenations, `path.join(__dirname, 'uploads')`, consts. Unknown parts become `${}` so rules can
 * tell a literal host from a placeholder, and `process.env.X || 'default'` yields its default.
 */
import { ts } from 'ts-morph';
import { type Bindings, skipOuter } from './bindings.js';

export const UNKNOWN = '${}';

export function staticString(node: ts.Node, b: Bindings, depth = 0): string | undefined {
  if (depth > 6) return undefined;
  const e = skipOuter(node);
  if (ts.isStringLiteralLike(e)) return e.text;
  if (ts.isNumericLiteral(e)) return e.text;
  if (ts.isTemplateExpression(e)) {
    let s = e.head.text;
    for (const span of e.templateSpans) s += (staticString(span.expression, b, depth + 1) ?? UNKNOWN) + span.literal.text;
    return s;
  }
  if (ts.isIdentifier(e)) {
    if (e.text === '__dirname' || e.text === '__filename') return b.isGlobal(e) ? '.' : undefined;
    const init = b.initializerOf(e);
    return init ? staticString(init, b, depth + 1) : undefined;
  }
  if (ts.isBinaryExpression(e)) {
    const op = e.operatorToken.kind;
    if (op === ts.SyntaxKind.PlusToken) {
      const l = staticString(e.left, b, depth + 1);
      const r = staticString(e.right, b, depth + 1);
      if (l === undefined && r === undefined) return undefined;
      return (l ?? UNKNOWN) + (r ?? UNKNOWN);
    }
    if (op === ts.SyntaxKind.BarBarToken || op === ts.SyntaxKind.QuestionQuestionToken) {
      // the literal default of `process.env.X || 'default'` is what runs when nothing is configured
      return staticString(e.left, b, depth + 1) ?? staticString(e.right, b, depth + 1);
    }
  }
  if (ts.isCallExpression(e)) {
    // an undeclared `path` is the module too: snippets and some legacy files rely on it being in scope
    const pe = e.expression;
    const callee = b.evaluate(pe) ?? (ts.isPropertyAccessExpression(pe) && ts.isIdentifier(pe.expression) && pe.expression.text === 'path' && b.isGlobal(pe.expression) ? { module: 'path', path: [pe.name.text] } : undefined);
    if (callee?.module === 'path' && callee.path.length === 1 && /^(join|resolve|normalize)$/.test(callee.path[0]!)) {
      const parts = e.arguments.map((a) => staticString(a, b, depth + 1) ?? UNKNOWN);
      return parts
        .filter((p) => p !== '.')
        .join('/')
        .replace(/\/{2,}/g, '/');
    }
  }
  return undefined;
}

export function numberValue(node: ts.Node, b: Bindings, depth = 0): number | undefined {
  if (depth > 4) return undefined;
  const e = skipOuter(node);
  if (ts.isNumericLiteral(e)) return Number(e.text);
  if (ts.isStringLiteralLike(e) && /^\d+$/.test(e.text)) return Number(e.text);
  if (ts.isIdentifier(e)) {
    const init = b.initializerOf(e);
    return init ? numberValue(init, b, depth + 1) : undefined;
  }
  if (ts.isBinaryExpression(e) && e.operatorToken.kind === ts.SyntaxKind.AsteriskToken) {
    const l = numberValue(e.left, b, depth + 1);
    const r = numberValue(e.right, b, depth + 1);
    return l !== undefined && r !== undefined ? l * r : undefined;
  }
  return undefined;
}

/** Whether the value comes from the environment (`process.env`, `import.meta.env`), anywhere in it. */
export function mentionsEnv(node: ts.Node, b: Bindings, depth = 0): boolean {
  if (depth > 4) return false;
  let found = false;
  const visit = (n: ts.Node): void => {
    if (found) return;
    if (ts.isPropertyAccessExpression(n) && n.name.text === 'env' && (n.expression.getText() === 'process' || n.expression.getText() === 'import.meta')) {
      found = true;
      return;
    }
    if (ts.isIdentifier(n) && !(ts.isPropertyAccessExpression(n.parent) && n.parent.name === n)) {
      const init = b.initializerOf(n);
      if (init && mentionsEnv(init, b, depth + 1)) {
        found = true;
        return;
      }
    }
    ts.forEachChild(n, visit);
  };
  visit(node);
  return found;
}

const FALLBACK_OPERATORS: ReadonlySet<ts.SyntaxKind> = new Set([ts.SyntaxKind.BarBarToken, ts.SyntaxKind.QuestionQuestionToken, ts.SyntaxKind.BarBarEqualsToken, ts.SyntaxKind.QuestionQuestionEqualsToken]);

/** `process.env.X || d`, `?? d`, `||= d`: d is used only when the environment does not set X. */
function isEnvLookupWithDefault(e: ts.Node, b: Bindings): e is ts.BinaryExpression {
  return ts.isBinaryExpression(e) && FALLBACK_OPERATORS.has(e.operatorToken.kind) && mentionsEnv(e.left, b);
}

/**
 * Whether an expression's value is an environment lookup with a default, directly or through an
 * unchanged variable: `host: process.env.DB_HOST || 'localhost'`, `host: DB_HOST` after
 * `const DB_HOST = process.env.DB_HOST ?? 'localhost'`. The app already takes that setting from the
 * environment; the literal is only a development fallback.
 */
export function isEnvDefault(node: ts.Node, b: Bindings, depth = 0): boolean {
  if (depth > 4) return false;
  const e = skipOuter(node);
  if (isEnvLookupWithDefault(e, b)) return true;
  if (ts.isIdentifier(e)) {
    const init = b.initializerOf(e);
    return init !== undefined && isEnvDefault(init, b, depth + 1);
  }
  return false;
}

/**
 * Whether a literal stands where an environment lookup's default goes: the right side of
 * `process.env.X || …` / `??` (also as part of a concatenation there, `'http://localhost:' + port`), or
 * the default of a variable destructured from the environment (`const { HOST = 'localhost' } = process.env`).
 */
export function inEnvDefault(literal: ts.Node, b: Bindings): boolean {
  let c: ts.Node = literal;
  for (let p = literal.parent; p; c = p, p = p.parent) {
    if (ts.isParenthesizedExpression(p) || ts.isAsExpression(p) || ts.isNonNullExpression(p) || ts.isTypeAssertionExpression(p) || ts.isSatisfiesExpression(p)) continue;
    if (ts.isBinaryExpression(p) && p.operatorToken.kind === ts.SyntaxKind.PlusToken) continue;
    if (ts.isBinaryExpression(p)) return p.right === c && isEnvLookupWithDefault(p, b);
    if (ts.isBindingElement(p) && p.initializer === c) {
      let d: ts.Node = p.parent;
      while (ts.isObjectBindingPattern(d) || ts.isArrayBindingPattern(d) || ts.isBindingElement(d)) d = d.parent;
      return (ts.isVariableDeclaration(d) || ts.isParameter(d)) && d.initializer !== undefined && mentionsEnv(d.initializer, b);
    }
    return false;
  }
  return false;
}

/** An object literal argument, following a const/unchanged identifier to its initializer. */
export function objectLiteralOf(node: ts.Node | undefined, b: Bindings): ts.ObjectLiteralExpression | undefined {
  if (!node) return undefined;
  const e = skipOuter(node);
  if (ts.isObjectLiteralExpression(e)) return e;
  if (ts.isIdentifier(e)) {
    const init = b.initializerOf(e);
    return init && ts.isObjectLiteralExpression(skipOuter(init)) ? (skipOuter(init) as ts.ObjectLiteralExpression) : undefined;
  }
  return undefined;
}

export function propertyName(name: ts.PropertyName | ts.BindingName | ts.MemberName): string | undefined {
  if (ts.isIdentifier(name) || ts.isStringLiteral(name) || ts.isNumericLiteral(name) || ts.isPrivateIdentifier(name)) return name.text;
  if (ts.isComputedPropertyName(name) && ts.isStringLiteralLike(name.expression)) return name.expression.text;
  return undefined;
}
