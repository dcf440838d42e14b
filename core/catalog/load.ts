/**
 * Rule text → validated Rule. Pure: the CLI reads the files and hands their text in.
 * Every problem names the file, the rule id (when known) and the field, because a user with a
 * broken custom rule file needs all three to fix it.
 */
import type { Ajv as AjvClass, ErrorObject, ValidateFunction } from 'ajv';
import type * as Yaml from 'yaml';
import type { Analyzer } from '../analyzer.js';
import type { Rule, RuleExample } from '../model.js';
import { lazyRequire, once } from '../lazy.js';
import { ruleSchema } from './schema.js';

export interface RuleLoadError {
  file: string;
  ruleId?: string;
  field?: string;
  message: string;
}

export class RuleLoadFailure extends Error {
  constructor(readonly problems: RuleLoadError[]) {
    super(problems.map(formatRuleLoadError).join('\n'));
  }
}

export function formatRuleLoadError(e: RuleLoadError): string {
  const where = [e.file, e.ruleId ? `rule ${e.ruleId}` : undefined, e.field ? `field ${e.field}` : undefined].filter(Boolean).join(', ');
  return `${where}: ${e.message}`;
}

// The YAML parser and the compiled schema are loaded on the first rule file, not with core: a warm
// re-scan takes its parsed rules from the cache and needs neither, and workers never parse rules.
const yaml = lazyRequire<typeof Yaml>('yaml');
const validateRule = once((): ValidateFunction => new (lazyRequire<{ Ajv: typeof AjvClass }>('ajv')().Ajv)({ allErrors: true, strict: false }).compile(ruleSchema));

function loaders(): { parseDocument: typeof Yaml.parseDocument; validate: ValidateFunction } {
  return { parseDocument: yaml().parseDocument, validate: validateRule() };
}

function fieldOf(err: ErrorObject): string {
  const base = err.instancePath.replace(/^\//, '').replace(/\/(\d+)(?=\/|$)/g, '[$1]').replace(/\//g, '.');
  if (err.keyword === 'required') return [base, (err.params as { missingProperty: string }).missingProperty].filter(Boolean).join('.');
  if (err.keyword === 'additionalProperties') return [base, (err.params as { additionalProperty: string }).additionalProperty].filter(Boolean).join('.');
  return base || '(root)';
}

function messageOf(err: ErrorObject): string {
  if (err.keyword === 'additionalProperties') return 'unknown key';
  if (err.keyword === 'required') return 'is required';
  if (err.keyword === 'enum') return `must be one of: ${(err.params as { allowedValues: unknown[] }).allowedValues.join(', ')}`;
  return err.message ?? 'is invalid';
}

/**
 * Parses and validates one rule file. `expectedId` is the id its path implies; a rule whose id
 * differs is rejected so ids stay discoverable from paths.
 */
export function parseRule(text: string, file: string, expectedId: string | undefined, analyzers: ReadonlyMap<string, Analyzer>): Rule | RuleLoadError[] {
  const { parseDocument, validate } = loaders();
  const doc = parseDocument(text, { prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    return doc.errors.map((e) => ({ file, message: `YAML: ${e.message.split('\n')[0]}${e.linePos ? ` (line ${e.linePos[0].line})` : ''}` }));
  }
  const data: unknown = doc.toJS();
  const ruleId = typeof data === 'object' && data !== null && typeof (data as { id?: unknown }).id === 'string' ? (data as { id: string }).id : undefined;
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    return [{ file, message: 'a rule file must hold one YAML mapping' }];
  }
  if (!validate(data)) {
    // oneOf errors repeat themselves per branch; keep one per field.
    const seen = new Set<string>();
    const out: RuleLoadError[] = [];
    for (const err of validate.errors ?? []) {
      const field = fieldOf(err);
      if (seen.has(field)) continue;
      seen.add(field);
      out.push({ file, ruleId, field, message: messageOf(err) });
    }
    return out;
  }
  const raw = data as Omit<Rule, 'source' | 'examples'> & { examples: { file?: string; positive: Array<string | RuleExample>; negative: Array<string | RuleExample> } };
  if (expectedId !== undefined && raw.id !== expectedId) {
    return [{ file, ruleId: raw.id, field: 'id', message: `must equal the rule's path, "${expectedId}"` }];
  }
  const analyzer = analyzers.get(raw.match.analyzer);
  if (!analyzer) {
    return [{ file, ruleId: raw.id, field: 'match.analyzer', message: `unknown analyzer "${raw.match.analyzer}" (known: ${[...analyzers.keys()].join(', ')})` }];
  }
  const problems = analyzer.validate(raw.match);
  if (problems.length > 0) return problems.map(([field, message]) => ({ file, ruleId: raw.id, field, message }));
  const norm = (e: string | RuleExample): RuleExample => (typeof e === 'string' ? { code: e } : e);
  const examples: Rule['examples'] = {
    positive: raw.examples.positive.map(norm),
    negative: raw.examples.negative.map(norm),
  };
  if (raw.examples.file !== undefined) examples.file = raw.examples.file;
  return { ...raw, examples, source: file };
}

/** The id a catalog path implies: `java/local-file-write.yaml` → `java/local-file-write`. */
export function idFromPath(relativePosixPath: string): string {
  return relativePosixPath.replace(/\.ya?ml$/, '');
}
