/**
 * The `node` analyzer's match language: what a rule may say, how it is validated, and its compiled
 * form. One rule names exactly one construct (a call, a `new`, a reference, an import, a global
 * call, a method on an unknown receiver, a string literal, a key/value binding, a sleep, a module-level
 * container, or a project-level absence), plus optional conditions. Module/member/key patterns are
 * regular expressions anchored at both ends; `module` is compared after normalization (`node:fs`,
 * `fs/promises` → `fs`; `fs.promises.x` → `fs.x`).
 */
import type { RuleMatch } from '../../core/index.js';

export interface TargetSpec {
  /** anchored regex over the normalized module name */
  module: string;
  /** anchored regex over the member path (`writeFileSync`, `transports.File`, `().listen`); '' = the module itself */
  member?: string;
}

export interface ArgSpec {
  index: number;
  /** the argument has a static string value */
  literal?: boolean;
  /** the argument is a number known in this file */
  number?: boolean;
  /** anchored? no: searched regex over the static string value (unknown parts are `${}`) */
  regex?: string;
  notRegex?: string;
  /** not under os.tmpdir(), /tmp, /dev or the tmp packages */
  notTmp?: boolean;
  /** the argument does not come from process.env */
  notEnv?: boolean;
  /** the argument is a function (callback), e.g. setInterval's job */
  minNumber?: number;
}

export interface OptionsSpec {
  index?: number;
  /** some key of the object argument matches (anchored) */
  has?: string;
  /** no key of the object argument matches (anchored); an argument that is not a visible object never matches */
  missing?: string;
}

export const PROJECT_KINDS = ['graceful-shutdown', 'health-route', 'session-writes', 'session-dependency'] as const;
export type ProjectKind = (typeof PROJECT_KINDS)[number];

const KINDS = ['call', 'new', 'ref', 'import', 'global', 'method', 'literal', 'property', 'sleep', 'moduleState', 'project'] as const;
type Kind = (typeof KINDS)[number];

const CONDITIONS = ['args', 'options', 'inCallTo', 'notInCallTo', 'fileImports', 'fileNotImports', 'exclude', 'valueFrom', 'secret', 'kind', 'flags', 'notInMessage', 'notInRecords', 'notEnvDefault'] as const;

export interface Target {
  module: RegExp;
  member: RegExp;
}

export interface CompiledArg {
  index: number;
  literal: boolean;
  number: boolean;
  minNumber?: number;
  regex?: RegExp;
  notRegex?: RegExp;
  notTmp: boolean;
  notEnv: boolean;
}

export interface CompiledRule {
  id: string;
  kind: Kind;
  target?: Target;
  regex?: RegExp;
  object?: RegExp;
  minMs?: number;
  project?: ProjectKind;
  args: CompiledArg[];
  options?: { index: number; has?: RegExp; missing?: RegExp };
  inCallTo?: Target;
  notInCallTo?: Target;
  fileImports?: RegExp;
  fileNotImports?: RegExp;
  exclude?: RegExp;
  valueFrom: 'literal' | 'literal-or-json' | 'number';
  secret: boolean;
  notInMessage: boolean;
  notInRecords: boolean;
  /** skip a value that is only the fallback of an environment lookup (`process.env.X ?? 'localhost'`) */
  notEnvDefault: boolean;
  captureKind?: string;
}

const anchored = (s: string, flags = ''): RegExp => new RegExp(`^(?:${s})$`, flags);
const target = (t: TargetSpec): Target => ({ module: anchored(t.module), member: anchored(t.member ?? '') });

const cache = new WeakMap<object, CompiledRule>();

export function kindOf(match: RuleMatch): Kind | undefined {
  return KINDS.find((k) => k in match);
}

export function compileRule(id: string, match: RuleMatch): CompiledRule {
  const hit = cache.get(match);
  if (hit) return hit;
  const kind = kindOf(match)!;
  const flags = typeof match.flags === 'string' ? match.flags.replace(/g/g, '') : '';
  const c: CompiledRule = {
    id,
    kind,
    args: ((match.args as ArgSpec[] | undefined) ?? []).map((a) => {
      const ca: CompiledArg = { index: a.index, literal: !!a.literal, number: !!a.number, notTmp: !!a.notTmp, notEnv: !!a.notEnv };
      if (a.regex !== undefined) ca.regex = new RegExp(a.regex, 'i');
      if (a.notRegex !== undefined) ca.notRegex = new RegExp(a.notRegex, 'i');
      if (a.minNumber !== undefined) ca.minNumber = a.minNumber;
      return ca;
    }),
    valueFrom: match.valueFrom === 'literal-or-json' || match.valueFrom === 'number' ? match.valueFrom : 'literal',
    secret: match.secret === true,
    notInMessage: match.notInMessage === true,
    notInRecords: match.notInRecords === true,
    notEnvDefault: match.notEnvDefault === true,
  };
  const spec = match[kind] as unknown;
  switch (kind) {
    case 'call':
    case 'new':
    case 'ref':
      c.target = target(spec as TargetSpec);
      break;
    case 'import':
    case 'global':
      c.regex = anchored(spec as string);
      break;
    case 'method': {
      const m = spec as { name: string; object?: string };
      c.regex = anchored(m.name);
      if (m.object !== undefined) c.object = new RegExp(m.object);
      break;
    }
    case 'literal':
      c.regex = new RegExp((spec as { regex: string }).regex, flags);
      break;
    case 'property': {
      const p = spec as { key: string; value?: string };
      c.regex = anchored(p.key, 'i');
      if (p.value !== undefined) c.object = new RegExp(p.value, flags);
      break;
    }
    case 'moduleState':
      c.regex = anchored((spec as { name: string }).name, 'i');
      break;
    case 'sleep':
      c.minMs = (spec as { minMs: number }).minMs;
      break;
    case 'project':
      c.project = spec as ProjectKind;
      break;
  }
  const opts = match.options as OptionsSpec | undefined;
  if (opts) {
    c.options = { index: opts.index ?? 0 };
    if (opts.has !== undefined) c.options.has = anchored(opts.has, 'i');
    if (opts.missing !== undefined) c.options.missing = anchored(opts.missing, 'i');
  }
  if (match.inCallTo) c.inCallTo = target(match.inCallTo as TargetSpec);
  if (match.notInCallTo) c.notInCallTo = target(match.notInCallTo as TargetSpec);
  if (typeof match.fileImports === 'string') c.fileImports = anchored(match.fileImports);
  if (typeof match.fileNotImports === 'string') c.fileNotImports = anchored(match.fileNotImports);
  if (typeof match.exclude === 'string') c.exclude = new RegExp(match.exclude, flags);
  if (typeof match.kind === 'string') c.captureKind = match.kind;
  cache.set(match, c);
  return c;
}

type Problems = Array<[string, string]>;

function checkRegex(p: Problems, field: string, v: unknown, required = true): void {
  if (v === undefined && !required) return;
  if (typeof v !== 'string') {
    p.push([field, 'expected a regular expression (string)']);
    return;
  }
  try {
    new RegExp(v);
  } catch (e) {
    p.push([field, (e as Error).message]);
  }
}

function checkTarget(p: Problems, field: string, v: unknown): void {
  if (!v || typeof v !== 'object' || Array.isArray(v)) {
    p.push([field, 'expected {module, member?}']);
    return;
  }
  const t = v as Record<string, unknown>;
  for (const k of Object.keys(t)) if (k !== 'module' && k !== 'member') p.push([`${field}.${k}`, 'unknown key (expected module, member)']);
  checkRegex(p, `${field}.module`, t.module);
  checkRegex(p, `${field}.member`, t.member, false);
}

function checkObject(p: Problems, field: string, v: unknown, keys: Record<string, 'regex' | 'boolean' | 'number' | 'string'>, required: string[] = []): void {
  if (!v || typeof v !== 'object' || Array.isArray(v)) {
    p.push([field, `expected an object with ${Object.keys(keys).join(', ')}`]);
    return;
  }
  const o = v as Record<string, unknown>;
  for (const k of Object.keys(o)) {
    const type = keys[k];
    if (!type) p.push([`${field}.${k}`, `unknown key (expected one of ${Object.keys(keys).join(', ')})`]);
    else if (type === 'regex') checkRegex(p, `${field}.${k}`, o[k]);
    else if (typeof o[k] !== type) p.push([`${field}.${k}`, `expected a ${type}`]);
  }
  for (const r of required) if (!(r in o)) p.push([`${field}.${r}`, 'is required']);
}

export function validateMatch(match: RuleMatch): Problems {
  const p: Problems = [];
  const kinds = KINDS.filter((k) => k in match);
  if (kinds.length !== 1) p.push(['match', `needs exactly one of ${KINDS.join(', ')} (found ${kinds.length ? kinds.join(', ') : 'none'})`]);
  const allowed = new Set<string>(['analyzer', 'tokens', 'files', 'scope', ...KINDS, ...CONDITIONS]);
  for (const k of Object.keys(match)) if (!allowed.has(k)) p.push([`match.${k}`, 'unknown key for the node analyzer']);
  const kind = kinds[0];
  if (kinds.length === 1 && kind) {
    const v = match[kind];
    const f = `match.${kind}`;
    switch (kind) {
      case 'call':
      case 'new':
      case 'ref':
        checkTarget(p, f, v);
        break;
      case 'import':
      case 'global':
        checkRegex(p, f, v);
        break;
      case 'method':
        checkObject(p, f, v, { name: 'regex', object: 'regex' }, ['name']);
        break;
      case 'literal':
        checkObject(p, f, v, { regex: 'regex' }, ['regex']);
        break;
      case 'property':
        checkObject(p, f, v, { key: 'regex', value: 'regex' }, ['key']);
        break;
      case 'moduleState':
        checkObject(p, f, v, { name: 'regex' }, ['name']);
        break;
      case 'sleep':
        checkObject(p, f, v, { minMs: 'number' }, ['minMs']);
        break;
      case 'project':
        if (!PROJECT_KINDS.includes(v as ProjectKind)) p.push([f, `expected one of ${PROJECT_KINDS.join(', ')}`]);
        if (match.scope !== 'project') p.push(['match.scope', 'project rules need scope: project']);
        break;
    }
    if (kind !== 'project' && match.scope === 'project') p.push(['match.scope', 'only `project:` rules are project-scoped']);
  }
  if (match.args !== undefined) {
    if (!Array.isArray(match.args)) p.push(['match.args', 'expected a list']);
    else
      match.args.forEach((a, i) =>
        checkObject(p, `match.args[${i}]`, a, { index: 'number', literal: 'boolean', number: 'boolean', minNumber: 'number', regex: 'regex', notRegex: 'regex', notTmp: 'boolean', notEnv: 'boolean' }, ['index']),
      );
    if (kind && !['call', 'new', 'global', 'method'].includes(kind)) p.push(['match.args', `applies to call, new, global and method rules, not ${kind}`]);
  }
  if (match.options !== undefined) {
    checkObject(p, 'match.options', match.options, { index: 'number', has: 'regex', missing: 'regex' });
    if (kind && !['call', 'new', 'global', 'method'].includes(kind)) p.push(['match.options', `applies to call, new, global and method rules, not ${kind}`]);
  }
  if (match.inCallTo !== undefined) checkTarget(p, 'match.inCallTo', match.inCallTo);
  if (match.notInCallTo !== undefined) checkTarget(p, 'match.notInCallTo', match.notInCallTo);
  for (const k of ['fileImports', 'fileNotImports', 'exclude'] as const) checkRegex(p, `match.${k}`, match[k], false);
  if (match.flags !== undefined && (typeof match.flags !== 'string' || !/^[imsu]*$/.test(match.flags))) p.push(['match.flags', 'expected regex flags from i, m, s, u']);
  if (match.valueFrom !== undefined && !['literal', 'literal-or-json', 'number'].includes(match.valueFrom as string)) p.push(['match.valueFrom', 'expected literal, literal-or-json or number']);
  for (const k of ['secret', 'notInMessage', 'notInRecords', 'notEnvDefault'] as const) if (match[k] !== undefined && typeof match[k] !== 'boolean') p.push([`match.${k}`, 'expected true or false']);
  if (match.notEnvDefault !== undefined && kind && !['literal', 'property'].includes(kind)) p.push(['match.notEnvDefault', `applies to literal and property rules, not ${kind}`]);
  if (match.kind !== undefined && typeof match.kind !== 'string') p.push(['match.kind', 'expected a string (captured as `kind`)']);
  return p;
}
