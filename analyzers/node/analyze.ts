/**
 * The node analyzer's per-file work: parse with the TypeScript parser and walk the tree once (see
 * index.ts for what the analyzer does). Loaded on demand by index.ts, since importing the TypeScript
 * compiler takes most of a second.
 */
import { findNodeAtLocation, parseTree } from 'jsonc-parser';
import { ts } from 'ts-morph';
import type { AnalyzerRule, FileAnalysis, Match, SourceFile } from '../../core/index.js';
import { Bindings, memberString, type ModuleRef, normalizeModule, requireSpecifier, skipOuter } from './bindings.js';
import { looksLikeFlow, stripFlow } from './flow.js';
import { type NodeSummary, SESSION_MODULES, SESSION_STORE_MODULES } from './project.js';
import { type CompiledArg, type CompiledRule, compileRule, type Target } from './rules.js';
import { inEnvDefault, isEnvDefault, mentionsEnv, numberValue, objectLiteralOf, propertyName, staticString, UNKNOWN } from './values.js';

/** Browser code (static files, client/ and frontend/ apps): server-side concerns do not apply to it. */
const BROWSER_DIRS = /(^|\/)(public|static|assets|bower_components|wwwroot|client|frontend)\//;
/** configuration of the test environment (`config/env/test.js`): it never runs on the platform */
const TEST_ENV_CONFIG = /(^|\/)(config|env)\/(env\/|environments?\/)?(test|testing)\.[cm]?[jt]s$/;
/** build and tooling configuration (Gruntfile, webpack.config.js, .eslintrc.js…): it never runs in the deployed app */
const BUILD_TOOLING = /(^|\/)(Gruntfile|gulpfile|Jakefile)\.[cm]?[jt]s$|(^|\/)(webpack|rollup|vite|babel|jest|karma|protractor|vitest|playwright|cypress|eslint|prettier|postcss|tailwind|tsup|esbuild|metro|craco|commitlint|lint-staged|stylelint|nodemon)(\.[\w-]+)*\.(config|conf)(\.[\w-]+)*\.[cm]?[jt]s$|(^|\/)\.[\w-]+rc\.[cm]?js$|(^|\/)\.(storybook|husky|github|rollup)\//;
const MAX_ERRORS = 5;

function scriptKind(path: string): ts.ScriptKind {
  if (/\.tsx$/i.test(path)) return ts.ScriptKind.TSX;
  if (/\.(ts|mts|cts)$/i.test(path)) return ts.ScriptKind.TS;
  if (/\.jsx$/i.test(path)) return ts.ScriptKind.JSX;
  return ts.ScriptKind.JS;
}

const SERVER_MODULES = /^(express|koa|fastify|@hapi\/hapi|hapi|restify|connect|http|https|http2|polka|@nestjs\/core|socket\.io|net)$/;
const FRAMEWORK_MODULES = /^(express|koa|fastify|@hapi\/hapi|hapi|restify|connect|polka|@nestjs\/core|loopback|sails)$/;
const SHUTDOWN_MODULES = /^(@godaddy\/terminus|http-terminator|stoppable|lightship|http-graceful-shutdown|@moebius\/http-graceful-shutdown|death|node-graceful-shutdown|close-with-grace|async-exit-hook|exit-hook)$/;
const HEALTH_MODULES = /^(@godaddy\/terminus|lightship|express-actuator|express-healthcheck|express-health-check|@nestjs\/terminus|fastify-healthcheck|@cloudnative\/health-connect|hapi-alive)$/;
const HEALTH_PATH = /^\/?(api\/|_)?(health|healthz|healthcheck|health-check|ready|readyz|readiness|live|livez|liveness|alive|ping|status|heartbeat)(\/.*)?$/i;
const ROUTE_METHODS = /^(get|all|use|head|route|options|post)$/;
const LOG_METHODS = /^(log|info|warn|error|debug|trace|fatal|verbose|silly|notice|flash)$/;


interface Candidate extends Match {
  rule: CompiledRule;
}

/** `fs.writeFileSync`, `multer.diskStorage`, `express-session`: how a traced call reads in a message. */
function refLabel(ref: ModuleRef): string {
  const member = memberString(ref);
  return member ? `${ref.module}.${member}` : ref.module;
}

function isAssignment(n: ts.Node): n is ts.BinaryExpression {
  return ts.isBinaryExpression(n) && n.operatorToken.kind === ts.SyntaxKind.EqualsToken;
}

class FileWalker {
  readonly b: Bindings;
  readonly imports = new Set<string>();
  readonly candidates: Candidate[] = [];
  readonly summary: NodeSummary = emptySummary();
  private readonly byKind = new Map<string, CompiledRule[]>();
  private readonly containers: Array<{ decl: ts.VariableDeclaration; name: string }> = [];
  private readonly mutations: ts.Identifier[] = [];

  constructor(
    readonly sf: ts.SourceFile,
    rules: CompiledRule[],
    private readonly wantSummary: boolean,
  ) {
    this.b = new Bindings(sf);
    for (const r of rules) this.byKind.set(r.kind, [...(this.byKind.get(r.kind) ?? []), r]);
    this.hasRef = this.byKind.has('ref');
    this.hasLiteralRules = this.byKind.has('literal');
    this.hasProperty = this.byKind.has('property');
  }

  private readonly hasRef: boolean;
  private readonly hasLiteralRules: boolean;
  private readonly hasProperty: boolean;

  private rulesOf(kind: string): CompiledRule[] {
    return this.byKind.get(kind) ?? [];
  }

  private pos(n: ts.Node): { line: number; column: number } {
    const lc = this.sf.getLineAndCharacterOfPosition(n.getStart(this.sf));
    return { line: lc.line + 1, column: lc.character + 1 };
  }

  private add(rule: CompiledRule, at: ts.Node, captures: Record<string, string> = {}, end?: ts.Node): void {
    if (rule.captureKind) captures.kind = rule.captureKind;
    if (rule.secret) delete captures.value;
    const m: Candidate = { ruleId: rule.id, rule, ...this.pos(at) };
    if (end) {
      const endLine = this.sf.getLineAndCharacterOfPosition(end.getEnd()).line + 1;
      if (endLine > m.line) m.endLine = endLine;
    }
    for (const [k, v] of Object.entries(captures)) if (v === undefined || v === '') delete captures[k];
    if (Object.keys(captures).length > 0) m.captures = captures;
    this.candidates.push(m);
  }

  run(): void {
    if (this.rulesOf('moduleState').length > 0) this.collectContainers();
    this.visit(this.sf);
    this.finishContainers();
  }

  /** One walk for every rule: dispatch on the node kind (this runs for every node of every file). */
  private visit = (n: ts.Node): void => {
    const K = ts.SyntaxKind;
    switch (n.kind) {
      case K.CallExpression:
        this.onCall(n as ts.CallExpression);
        break;
      case K.NewExpression:
        this.onNew(n as ts.NewExpression);
        break;
      case K.ImportDeclaration:
      case K.ExportDeclaration: {
        const spec = (n as ts.ImportDeclaration | ts.ExportDeclaration).moduleSpecifier;
        if (spec && ts.isStringLiteral(spec)) this.onImport(spec.text, n);
        break;
      }
      case K.ImportEqualsDeclaration: {
        const ref = (n as ts.ImportEqualsDeclaration).moduleReference;
        if (ts.isExternalModuleReference(ref) && ts.isStringLiteral(ref.expression)) this.onImport(ref.expression.text, n);
        break;
      }
      case K.PropertyAccessExpression:
        if (this.hasRef) this.onReference(n as ts.PropertyAccessExpression);
        break;
      case K.StringLiteral:
      case K.NoSubstitutionTemplateLiteral:
      case K.TemplateExpression:
        if (this.hasLiteralRules) this.onLiteral(n as ts.StringLiteralLike | ts.TemplateExpression);
        break;
      case K.PropertyAssignment:
      case K.VariableDeclaration:
        if (this.hasProperty) this.onBinding(n as ts.PropertyAssignment | ts.VariableDeclaration);
        break;
      case K.BinaryExpression:
        if (isAssignment(n)) {
          if (this.hasProperty) this.onBinding(n);
          if (this.wantSummary) this.onSessionWrite(n);
        }
        break;
    }
    if (this.containers.length > 0) this.onMutation(n);
    ts.forEachChild(n, this.visit);
  };

  // ---- imports -------------------------------------------------------------------------------
  private onImport(spec: string, at: ts.Node): void {
    const mod = normalizeModule(spec).module;
    this.imports.add(mod);
    if (this.wantSummary) {
      if (FRAMEWORK_MODULES.test(mod)) this.summary.framework = true;
      if (SHUTDOWN_MODULES.test(mod)) this.summary.signals = true;
      if (HEALTH_MODULES.test(mod)) this.summary.health = true;
      if (SESSION_STORE_MODULES.test(mod)) this.summary.sessionStore = true;
    }
    for (const r of this.rulesOf('import')) if (r.regex!.test(mod) || r.regex!.test(spec)) this.add(r, at, { value: spec });
  }

  // ---- calls ---------------------------------------------------------------------------------
  private onCall(call: ts.CallExpression): void {
    const spec = requireSpecifier(call, this.b);
    if (spec !== undefined) {
      this.onImport(spec, call);
      return;
    }
    const callee = skipOuter(call.expression);
    const ref = this.b.evaluate(callee);
    const at = ts.isPropertyAccessExpression(callee) ? callee.name : call;
    if (ref) for (const r of this.rulesOf('call')) if (this.targetMatches(r.target!, ref) && this.conditions(r, call)) this.add(r, at, this.callCaptures(call, refLabel(ref)), call);
    const globalName = this.rulesOf('global').length > 0 ? this.globalName(callee) : undefined;
    if (globalName !== undefined) for (const r of this.rulesOf('global')) if (r.regex!.test(globalName) && this.conditions(r, call)) this.add(r, at, this.callCaptures(call, globalName), call);
    if (ts.isPropertyAccessExpression(callee)) {
      for (const r of this.rulesOf('method')) {
        if (!r.regex!.test(callee.name.text)) continue;
        const recv = callee.expression.getText(this.sf).replace(/\s+/g, '');
        if (r.object && !r.object.test(recv)) continue;
        if (this.conditions(r, call)) this.add(r, at, this.callCaptures(call, `${recv.length > 40 ? '…' : recv}.${callee.name.text}`), call);
      }
    }
    if (ts.isIdentifier(callee)) this.onReference(callee);
    if (this.wantSummary) this.summarizeCall(call, callee, ref);
  }

  private onNew(e: ts.NewExpression): void {
    const ref = this.b.evaluate(e.expression);
    if (ref) for (const r of this.rulesOf('new')) if (this.targetMatches(r.target!, ref) && this.conditions(r, e)) this.add(r, e, this.callCaptures(e, `new ${refLabel(ref)}`), e);
    if (ts.isIdentifier(e.expression)) this.onReference(e.expression);
    if (ts.isIdentifier(e.expression) && e.expression.text === 'Promise' && this.b.isGlobal(e.expression)) this.onPromise(e);
  }

  private globalName(callee: ts.Node): string | undefined {
    if (ts.isIdentifier(callee)) return this.b.isGlobal(callee) ? callee.text : undefined;
    if (ts.isPropertyAccessExpression(callee) && ts.isIdentifier(callee.expression) && /^(global|globalThis|window)$/.test(callee.expression.text) && this.b.isGlobal(callee.expression)) return callee.name.text;
    return undefined;
  }

  private targetMatches(t: Target, ref: ModuleRef): boolean {
    return t.module.test(ref.module) && t.member.test(memberString(ref));
  }

  private callCaptures(call: ts.CallExpression | ts.NewExpression, label?: string): Record<string, string> {
    const c: Record<string, string> = {};
    if (label) c.call = label;
    const first = call.arguments?.[0];
    const v = first ? staticString(first, this.b) : undefined;
    // unknown parts shown as `*` (`uploads/*`); a value with no literal part says nothing
    if (v !== undefined && /[\w.]/.test(v.split(UNKNOWN).join(''))) c.value = v.split(UNKNOWN).join('*');
    const key = this.boundName(call);
    if (key) c.key = key;
    return c;
  }

  /** The variable or property an expression's value is assigned to, if any. */
  private boundName(e: ts.Node): string | undefined {
    let n = e;
    while (n.parent && (ts.isParenthesizedExpression(n.parent) || ts.isAwaitExpression(n.parent) || (ts.isBinaryExpression(n.parent) && n.parent.operatorToken.kind !== ts.SyntaxKind.EqualsToken))) n = n.parent;
    const p = n.parent;
    if (!p) return undefined;
    if (ts.isVariableDeclaration(p) && ts.isIdentifier(p.name)) return p.name.text;
    if (ts.isPropertyAssignment(p)) return propertyName(p.name);
    if (isAssignment(p) && p.right === n) {
      if (ts.isIdentifier(p.left)) return p.left.text;
      if (ts.isPropertyAccessExpression(p.left)) return p.left.name.text;
    }
    return undefined;
  }

  // ---- references (e.g. `winston.transports.File` passed to `logger.add`) -----------------------
  private onReference(n: ts.PropertyAccessExpression | ts.Identifier): void {
    const rules = this.rulesOf('ref');
    if (rules.length === 0) return;
    if (ts.isPropertyAccessExpression(n.parent) && n.parent.expression === n) return;
    const ref = this.b.evaluate(n);
    if (!ref) return;
    for (const r of rules) if (this.targetMatches(r.target!, ref) && this.conditions(r, n)) this.add(r, n, {});
  }

  // ---- literals --------------------------------------------------------------------------------
  private onLiteral(n: ts.StringLiteralLike | ts.TemplateExpression): void {
    const rules = this.rulesOf('literal');
    if (rules.length === 0) return;
    const p = n.parent;
    if (ts.isImportDeclaration(p) || ts.isExportDeclaration(p) || ts.isExternalModuleReference(p) || ts.isLiteralTypeNode(p)) return;
    if ((ts.isPropertyAssignment(p) || ts.isPropertyDeclaration(p) || ts.isMethodDeclaration(p)) && p.name === n) return;
    if (ts.isCallExpression(p) && requireSpecifier(p, this.b) !== undefined) return;
    if (ts.isTemplateSpan(p) || ts.isTaggedTemplateExpression(p)) return;
    let text: string;
    if (ts.isTemplateExpression(n)) {
      text = n.head.text;
      for (const s of n.templateSpans) text += UNKNOWN + s.literal.text;
    } else text = n.text;
    // the regexes first: most literals match no rule, and the context checks walk the tree
    const hits = rules.filter((r) => r.regex!.test(text) && !r.exclude?.test(text));
    if (hits.length === 0 || this.inMessage(n) || this.isComparedTo(n)) return;
    let envDefault: boolean | undefined;
    for (const r of hits) {
      if (r.notEnvDefault && (envDefault ??= inEnvDefault(n, this.b))) continue;
      if (!this.conditions(r, n)) continue;
      const c: Record<string, string> = { value: text };
      const key = this.boundName(n);
      if (key) c.key = key;
      this.add(r, n, c);
    }
  }

  /** `url.startsWith('http://localhost')`, `host === 'localhost'`: the literal is tested against, not configured. */
  private isComparedTo(n: ts.Node): boolean {
    const p = n.parent;
    if (ts.isBinaryExpression(p)) {
      const op = p.operatorToken.kind;
      return op === ts.SyntaxKind.EqualsEqualsEqualsToken || op === ts.SyntaxKind.ExclamationEqualsEqualsToken || op === ts.SyntaxKind.EqualsEqualsToken || op === ts.SyntaxKind.ExclamationEqualsToken;
    }
    if (ts.isCaseClause(p)) return true;
    if (ts.isCallExpression(p) && p.expression !== n && ts.isPropertyAccessExpression(p.expression)) return /^(startsWith|endsWith|includes|indexOf|lastIndexOf|match|test|replace|replaceAll|split|search)$/.test(p.expression.name.text);
    return false;
  }

  /** Literals inside log calls and thrown errors are messages, not configuration. */
  private inMessage(n: ts.Node): boolean {
    for (let p: ts.Node | undefined = n.parent; p && !ts.isFunctionLike(p) && !ts.isStatement(p); p = p.parent) {
      if (ts.isNewExpression(p) && ts.isIdentifier(p.expression) && /Error$/.test(p.expression.text)) return true;
      if (ts.isCallExpression(p)) {
        const c = skipOuter(p.expression);
        if (ts.isPropertyAccessExpression(c) && (LOG_METHODS.test(c.name.text) || /^console$/.test(c.expression.getText(this.sf)))) return true;
        if (ts.isIdentifier(c) && /^(debug|log)$/.test(c.text)) return true;
      }
    }
    return false;
  }

  // ---- key = value bindings (credentials, hosts in config objects) ----------------------------------
  private onBinding(n: ts.PropertyAssignment | ts.VariableDeclaration | ts.BinaryExpression): void {
    const rules = this.rulesOf('property');
    if (rules.length === 0) return;
    let key: string | undefined;
    let value: ts.Expression | undefined;
    let at: ts.Node = n;
    if (ts.isPropertyAssignment(n)) {
      key = propertyName(n.name);
      value = n.initializer;
      at = n.name;
    } else if (ts.isVariableDeclaration(n)) {
      if (ts.isIdentifier(n.name)) key = n.name.text;
      value = n.initializer;
    } else {
      if (ts.isIdentifier(n.left)) key = n.left.text;
      else if (ts.isPropertyAccessExpression(n.left)) key = n.left.name.text;
      else if (ts.isElementAccessExpression(n.left) && ts.isStringLiteralLike(n.left.argumentExpression)) key = n.left.argumentExpression.text;
      value = n.right;
      at = n.left;
    }
    if (!key || !value) return;
    for (const r of rules) {
      if (!r.regex!.test(key)) continue;
      const v = this.bindingValue(r, value);
      if (v === undefined) continue;
      if (r.object && !(v.known && r.object.test(v.text))) continue;
      if (r.exclude && v.known && r.exclude.test(v.text)) continue;
      if (r.notInRecords && this.inRecords(n)) continue;
      if (r.notEnvDefault && isEnvDefault(value, this.b)) continue;
      if (!this.conditions(r, n)) continue;
      const c: Record<string, string> = { key };
      if (v.known) c.value = v.text;
      this.add(r, at, c);
    }
  }

  /** `[{ name: 'a', password: 'x' }, { name: 'b', password: 'y' }]`: rows of seed data, not configuration. */
  private inRecords(n: ts.Node): boolean {
    const obj = n.parent;
    if (!ts.isObjectLiteralExpression(obj) || !ts.isArrayLiteralExpression(obj.parent)) return false;
    return obj.parent.elements.filter((e) => ts.isObjectLiteralExpression(e)).length >= 2;
  }

  private bindingValue(r: CompiledRule, value: ts.Expression): { text: string; known: boolean } | undefined {
    const e = skipOuter(value);
    if (ts.isObjectLiteralExpression(e) || ts.isArrayLiteralExpression(e) || ts.isFunctionLike(e)) return undefined;
    if (r.valueFrom === 'number') {
      const n = mentionsEnv(e, this.b) ? undefined : numberValue(e, this.b);
      return n === undefined ? undefined : { text: String(n), known: true };
    }
    if (r.valueFrom === 'literal-or-json') {
      const ref = this.b.evaluate(e);
      // a value read from a committed JSON file (`require('../package.json').name`) is as fixed as a literal
      if (ref && /\.json$/i.test(ref.module) && ref.path.length > 0) return { text: `${ref.module}:${ref.path.join('.')}`, known: false };
    }
    const s = staticString(e, this.b);
    if (s === undefined || s.includes(UNKNOWN)) return undefined;
    if (!this.hasLiteral(e)) return undefined;
    return { text: s, known: true };
  }

  /** the value is written in this file (a literal somewhere in it), not computed from other modules */
  private hasLiteral(e: ts.Node): boolean {
    let found = false;
    // `const DB_HOST = process.env.DB_HOST || …` refers to itself through the member name unless names are
    // skipped, and a cycle of initializers must end too
    const seen = new Set<ts.Node>([e]);
    const visit = (n: ts.Node): void => {
      if (found) return;
      if (ts.isStringLiteralLike(n) || ts.isTemplateExpression(n)) found = true;
      else if (ts.isIdentifier(n)) {
        if (ts.isPropertyAccessExpression(n.parent) && n.parent.name === n) return;
        const init = this.b.initializerOf(n);
        if (init && !seen.has(init)) {
          seen.add(init);
          visit(init);
        }
      } else ts.forEachChild(n, visit);
    };
    visit(e);
    return found;
  }

  // ---- sleeps inside request handlers -----------------------------------------------------------
  private onPromise(e: ts.NewExpression): void {
    const rules = this.rulesOf('sleep');
    if (rules.length === 0) return;
    const executor = e.arguments?.[0];
    if (!executor || !(ts.isArrowFunction(executor) || ts.isFunctionExpression(executor))) return;
    let delay: number | undefined;
    const visit = (n: ts.Node): void => {
      if (ts.isCallExpression(n) && ts.isIdentifier(n.expression) && n.expression.text === 'setTimeout' && this.b.isGlobal(n.expression) && n.arguments[1]) {
        const d = numberValue(n.arguments[1], this.b);
        if (d !== undefined) delay = Math.max(delay ?? 0, d);
      }
      ts.forEachChild(n, visit);
    };
    visit(executor);
    if (delay === undefined || !this.inRequestHandler(e)) return;
    for (const r of rules) if (delay >= r.minMs! && this.conditions(r, e)) this.add(r, e, { value: `${delay} ms` });
  }

  private inRequestHandler(n: ts.Node): boolean {
    for (let p: ts.Node | undefined = n.parent; p; p = p.parent) {
      if (ts.isFunctionLike(p)) {
        const first = p.parameters[0];
        if (first && ts.isIdentifier(first.name) && /^(req|request|ctx)$/.test(first.name.text)) return true;
      }
    }
    return false;
  }

  // ---- module-level containers mutated from functions (per-instance caches and state) ----------------
  private collectContainers(): void {
    for (const s of this.sf.statements) {
      if (!ts.isVariableStatement(s)) continue;
      for (const d of s.declarationList.declarations) {
        if (!ts.isIdentifier(d.name) || !d.initializer) continue;
        const init = skipOuter(d.initializer);
        const isContainer =
          (ts.isObjectLiteralExpression(init) && init.properties.length === 0) ||
          (ts.isArrayLiteralExpression(init) && init.elements.length === 0) ||
          (ts.isNewExpression(init) && ts.isIdentifier(init.expression) && /^(Map|Set|WeakMap)$/.test(init.expression.text)) ||
          (ts.isCallExpression(init) && init.expression.getText(this.sf) === 'Object.create' && init.arguments[0]?.kind === ts.SyntaxKind.NullKeyword);
        if (isContainer) this.containers.push({ decl: d, name: d.name.text });
      }
    }
  }

  private onMutation(n: ts.Node): void {
    let target: ts.Node | undefined;
    if (ts.isBinaryExpression(n) && n.operatorToken.kind >= ts.SyntaxKind.FirstAssignment && n.operatorToken.kind <= ts.SyntaxKind.LastAssignment && (ts.isElementAccessExpression(n.left) || ts.isPropertyAccessExpression(n.left))) target = n.left.expression;
    else if (ts.isDeleteExpression(n) && (ts.isElementAccessExpression(n.expression) || ts.isPropertyAccessExpression(n.expression))) target = n.expression.expression;
    else if (ts.isCallExpression(n) && ts.isPropertyAccessExpression(n.expression) && /^(set|push|add|unshift|splice|delete)$/.test(n.expression.name.text)) target = n.expression.expression;
    if (!target || !ts.isIdentifier(target)) return;
    if (!this.containers.some((c) => c.name === (target as ts.Identifier).text)) return;
    // only mutations at request time (inside a function) make it per-instance state
    for (let p: ts.Node | undefined = n.parent; p; p = p.parent) {
      if (ts.isFunctionLike(p)) {
        this.mutations.push(target);
        return;
      }
    }
  }

  private finishContainers(): void {
    const rules = this.rulesOf('moduleState');
    if (rules.length === 0) return;
    for (const c of this.containers) {
      const mutated = this.mutations.some((id) => {
        const r = this.b.resolveIdentifier(id);
        return r?.decl === c.decl;
      });
      if (!mutated) continue;
      for (const r of rules) if (r.regex!.test(c.name) && this.conditions(r, c.decl)) this.add(r, c.decl, { key: c.name });
    }
  }

  // ---- conditions --------------------------------------------------------------------------------
  private conditions(r: CompiledRule, n: ts.Node): boolean {
    if (r.args.length > 0 || r.options) {
      if (!ts.isCallExpression(n) && !ts.isNewExpression(n)) return false;
      const args = n.arguments ?? ts.factory.createNodeArray<ts.Expression>();
      for (const a of r.args) if (!this.argMatches(a, args[a.index])) return false;
      if (r.options) {
        const obj = objectLiteralOf(args[r.options.index], this.b);
        if (!obj) return false;
        const keys = obj.properties.map((p) => (p.name ? propertyName(p.name) : undefined)).filter((k): k is string => k !== undefined);
        if (obj.properties.some((p) => ts.isSpreadAssignment(p)) && r.options.missing) return false;
        if (r.options.has && !keys.some((k) => r.options!.has!.test(k))) return false;
        if (r.options.missing && keys.some((k) => r.options!.missing!.test(k))) return false;
        if (r.options.missing && this.assignedLater(args[r.options.index], r.options.missing)) return false;
      }
    }
    if (r.notInMessage && this.inMessage(n)) return false;
    if (r.inCallTo && !this.insideCallTo(n, r.inCallTo)) return false;
    if (r.notInCallTo && this.insideCallTo(n, r.notInCallTo)) return false;
    return true;
  }

  /** `const opts = {…}; opts.store = new RedisStore()` — a key added after the literal still counts. */
  private assignedLater(arg: ts.Node | undefined, key: RegExp): boolean {
    if (!arg || !ts.isIdentifier(skipOuter(arg))) return false;
    const name = (skipOuter(arg) as ts.Identifier).text;
    let found = false;
    const visit = (n: ts.Node): void => {
      if (found) return;
      if (isAssignment(n) && ts.isPropertyAccessExpression(n.left) && ts.isIdentifier(n.left.expression) && n.left.expression.text === name && key.test(n.left.name.text)) found = true;
      ts.forEachChild(n, visit);
    };
    visit(this.sf);
    return found;
  }

  private argMatches(a: CompiledArg, arg: ts.Expression | undefined): boolean {
    if (!arg) return false;
    if (a.notEnv && mentionsEnv(arg, this.b)) return false;
    if (a.number || a.minNumber !== undefined) {
      const n = numberValue(arg, this.b);
      if (n === undefined) return false;
      if (a.minNumber !== undefined && n < a.minNumber) return false;
    }
    const s = staticString(arg, this.b);
    if (a.literal && (s === undefined || s === UNKNOWN)) return false;
    if (a.regex && !(s !== undefined && a.regex.test(s))) return false;
    if (a.notRegex && s !== undefined && a.notRegex.test(s)) return false;
    if (a.notTmp && this.isTemp(arg, s)) return false;
    return true;
  }

  private isTemp(arg: ts.Node, s: string | undefined, depth = 0): boolean {
    if (s !== undefined && /^(\/tmp\b|\/var\/tmp\b|\/dev\/|os\.tmpdir)/.test(s)) return true;
    let found = false;
    const visit = (n: ts.Node): void => {
      if (found) return;
      if (ts.isCallExpression(n)) {
        const ref = this.b.evaluate(n.expression);
        if (ref && ((ref.module === 'os' && memberString(ref) === 'tmpdir') || /^(tmp|tmp-promise|tempy|temp)$/.test(ref.module))) {
          found = true;
          return;
        }
      }
      if (ts.isIdentifier(n) && depth < 4) {
        const init = this.b.initializerOf(n);
        if (init && this.isTemp(init, staticString(init, this.b), depth + 1)) {
          found = true;
          return;
        }
      }
      ts.forEachChild(n, visit);
    };
    visit(arg);
    return found;
  }

  private insideCallTo(n: ts.Node, t: Target): boolean {
    let child: ts.Node = n;
    for (let p: ts.Node | undefined = n.parent; p; child = p, p = p.parent) {
      if ((ts.isCallExpression(p) || ts.isNewExpression(p)) && p.expression !== child) {
        const ref = this.b.evaluate(p.expression);
        if (ref && this.targetMatches(t, ref)) return true;
      }
    }
    return false;
  }

  // ---- summaries for project rules ------------------------------------------------------------------
  private summarizeCall(call: ts.CallExpression, callee: ts.Node, ref: ModuleRef | undefined): void {
    const s = this.summary;
    if (ts.isPropertyAccessExpression(callee)) {
      const name = callee.name.text;
      const recv = this.b.evaluate(callee.expression);
      const recvText = callee.expression.getText(this.sf);
      // `require('./app').listen(…)`: the app object comes from another file of the project
      const local = !recv || recv.module.startsWith('.');
      if (name === 'listen' && ((recv && SERVER_MODULES.test(recv.module)) || (local && /(^|\.)(app|server|httpServer|httpsServer|application)$/i.test(recvText)))) s.listens.push(this.pos(callee.name));
      if (name === 'start' && recv && /^(@hapi\/hapi|hapi)$/.test(recv.module)) s.listens.push(this.pos(callee.name));
      if (/^(on|once|addListener|prependListener)$/.test(name) && ts.isIdentifier(callee.expression) && callee.expression.text === 'process') {
        const ev = call.arguments[0] && staticString(call.arguments[0], this.b);
        if (ev === 'SIGTERM' || ev === 'SIGINT') s.signals = true;
      }
      if (ROUTE_METHODS.test(name) && call.arguments[0]) {
        const path = staticString(call.arguments[0], this.b);
        if (path !== undefined && HEALTH_PATH.test(path)) s.health = true;
      }
      if (name === 'route' && call.arguments[0]) {
        // fastify/hapi route objects: { method, url|path: '/health' }
        const obj = objectLiteralOf(call.arguments[0], this.b);
        for (const p of obj?.properties ?? []) {
          if (ts.isPropertyAssignment(p) && /^(url|path)$/.test(propertyName(p.name) ?? '')) {
            const v = staticString(p.initializer, this.b);
            if (v !== undefined && HEALTH_PATH.test(v)) s.health = true;
          }
        }
      }
    }
    // express-session, koa-generic-session, and Express 3's / connect's built-in `express.session()`
    if (ref && ((SESSION_MODULES.test(ref.module) && ref.path.length === 0) || (/^(express|connect)$/.test(ref.module) && memberString(ref) === 'session'))) {
      const arg = call.arguments[0];
      const obj = objectLiteralOf(arg, this.b);
      if (!arg) s.sessionNoStore = true;
      else if (!obj || obj.properties.some((p) => ts.isSpreadAssignment(p))) s.sessionUnknown = true;
      else if (obj.properties.some((p) => p.name !== undefined && propertyName(p.name) === 'store') || this.assignedLater(arg, /^store$/)) s.sessionStore = true;
      else s.sessionNoStore = true;
    }
  }

  private onSessionWrite(n: ts.BinaryExpression): void {
    const left = n.left;
    if (!ts.isPropertyAccessExpression(left) && !ts.isElementAccessExpression(left)) return;
    const obj = left.expression.getText(this.sf).replace(/\s+/g, '');
    if (!/^(req|request)\.session$/.test(obj)) return;
    this.summary.sessionWrites.push(this.pos(n));
  }
}

function hasParseErrors(sf: ts.SourceFile): boolean {
  return ((sf as unknown as { parseDiagnostics?: unknown[] }).parseDiagnostics ?? []).length > 0;
}

const SK = ts.SyntaxKind;
const DECLARATION_STATEMENTS = new Set([SK.FunctionDeclaration, SK.ClassDeclaration, SK.InterfaceDeclaration, SK.TypeAliasDeclaration, SK.EnumDeclaration, SK.ModuleDeclaration, SK.ImportDeclaration, SK.ImportEqualsDeclaration, SK.ExportDeclaration, SK.ExportAssignment]);

/**
 * The parse diagnostics that start a new problem. After a syntax error the parser recovers by reading
 * what follows as best it can, and every token that then does not fit is another diagnostic: a missing
 * `)` in `function migrate(orders {` makes the body a destructuring parameter and yields four more
 * errors on the next two lines, two of them "',' expected" on one line. A later diagnostic counts as
 * its own problem only once a statement has begun before it on a line after the previous diagnostic:
 * the parser was back at a statement boundary, so it is not still recovering from the previous error.
 */
function distinctDiagnostics(sf: ts.SourceFile, diags: readonly ts.DiagnosticWithLocation[]): ts.DiagnosticWithLocation[] {
  if (diags.length < 2) return [...diags];
  const sorted = [...diags].sort((a, b) => a.start - b.start);
  const starts = sorted.map((d) => d.start);
  const lineOf = (pos: number) => sf.getLineAndCharacterOfPosition(pos).line;
  const resynced = new Array<boolean>(sorted.length).fill(false);
  const visit = (n: ts.Node): void => {
    if ((n.kind >= SK.FirstStatement && n.kind <= SK.LastStatement) || DECLARATION_STATEMENTS.has(n.kind)) {
      const start = n.getStart(sf);
      // the first diagnostic at or after this statement's start
      let lo = 0;
      let hi = starts.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (starts[mid]! < start) lo = mid + 1;
        else hi = mid;
      }
      // A statement that begins at the diagnostic is where the parser bailed out, not evidence it had recovered.
      if (lo > 0 && lo < starts.length && starts[lo]! > start && lineOf(start) > lineOf(starts[lo - 1]!)) resynced[lo] = true;
    }
    n.forEachChild(visit);
  };
  visit(sf);
  return sorted.filter((_, i) => i === 0 || resynced[i]);
}

function parseErrors(sf: ts.SourceFile): { message: string; line?: number }[] {
  const diags = (sf as unknown as { parseDiagnostics?: ts.DiagnosticWithLocation[] }).parseDiagnostics ?? [];
  return distinctDiagnostics(sf, diags).slice(0, MAX_ERRORS).map((d) => {
    const line = d.start !== undefined ? sf.getLineAndCharacterOfPosition(d.start).line + 1 : undefined;
    const e: { message: string; line?: number } = { message: `syntax error (analyzed as far as the parser recovered): ${ts.flattenDiagnosticMessageText(d.messageText, ' ')}` };
    if (line !== undefined) e.line = line;
    return e;
  });
}

const emptySummary = (): NodeSummary => ({ listens: [], framework: false, signals: false, health: false, sessionNoStore: false, sessionStore: false, sessionWrites: [] });

/** package.json is read only for project facts (which session store the app depends on); its own rules live in the package-json analyzer. */
function packageSummary(text: string): NodeSummary {
  const s = emptySummary();
  const root = parseTree(text, [], { allowTrailingComma: true });
  const deps = root && findNodeAtLocation(root, ['dependencies']);
  s.dependencies = {};
  for (const prop of deps?.type === 'object' ? (deps.children ?? []) : []) {
    const name = prop.children?.[0]?.value;
    if (typeof name !== 'string') continue;
    const before = text.slice(0, prop.offset);
    const line = before.split('\n').length;
    s.dependencies[name] = { line, column: prop.offset - before.lastIndexOf('\n') };
  }
  return s;
}

export function analyzeNodeSource(file: SourceFile, rules: AnalyzerRule[]): FileAnalysis & { summary?: NodeSummary } {
  if (BROWSER_DIRS.test(file.path) || TEST_ENV_CONFIG.test(file.path) || BUILD_TOOLING.test(file.path)) return { matches: [] };
  if (/(^|\/)package\.json$/.test(file.path)) return rules.some((r) => r.match.scope === 'project') ? { matches: [], summary: packageSummary(file.text) } : { matches: [] };
  const compiled = rules.map((r) => compileRule(r.id, r.match));
  const perFile = compiled.filter((r) => r.kind !== 'project');
  const wantSummary = compiled.some((r) => r.kind === 'project');
  let sf = ts.createSourceFile(file.path, file.text, ts.ScriptTarget.Latest, true, scriptKind(file.path));
  if (hasParseErrors(sf) && /\.(js|jsx|mjs|cjs)$/i.test(file.path) && looksLikeFlow(file.text)) {
    const stripped = stripFlow(file.text);
    if (stripped !== undefined && stripped.length === file.text.length) sf = ts.createSourceFile(file.path, stripped, ts.ScriptTarget.Latest, true, scriptKind(file.path));
  }
  const w = new FileWalker(sf, perFile, wantSummary);
  w.run();
  const matches: Match[] = [];
  for (const c of w.candidates) {
    if (c.rule.fileImports && ![...w.imports].some((m) => c.rule.fileImports!.test(m))) continue;
    if (c.rule.fileNotImports && [...w.imports].some((m) => c.rule.fileNotImports!.test(m))) continue;
    const { rule: _rule, ...m } = c;
    matches.push(m);
  }
  const out: FileAnalysis & { summary?: NodeSummary } = { matches };
  const errors = parseErrors(sf);
  if (errors.length > 0) out.errors = errors;
  if (wantSummary) out.summary = w.summary;
  return out;
}

