/**
 * The project config file (`paasport.config.json` or `.paasportrc.yml` at the scanned root): what a
 * team wants every scan of its repo to do without repeating flags in each pipeline. Validated
 * strictly (unknown keys are errors: a typo must not silently disable a gate). Pure: the CLI reads
 * and parses the file; command-line flags override it.
 */
import type { Ajv as AjvClass, ErrorObject, ValidateFunction } from 'ajv';
import { lazyRequire, once } from './lazy.js';
import { SEVERITIES, type Rule, type Severity } from './model.js';

export const CONFIG_FILE_NAMES = ['paasport.config.json', '.paasportrc.yml', '.paasportrc.yaml'] as const;
export const REPORT_FORMATS = ['text', 'json', 'sarif', 'html', 'markdown', 'gitlab'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

export type RuleOverride = 'off' | Severity | { enabled?: boolean; severity?: Severity };

export interface ProjectConfig {
  /** globs relative to the scanned root, added to --exclude */
  exclude?: string[];
  /** per rule id: "off", a new severity, or { enabled, severity } */
  rules?: Record<string, RuleOverride>;
  thresholds?: { failOn?: Severity; minScore?: number };
  /** formats written when --format is not given */
  formats?: ReportFormat[];
  /** folder for several formats when --out-dir is not given (relative to the working directory) */
  outDir?: string;
  daysPerPoint?: number;
  /** baseline file used when --baseline is not given (relative to the scanned root) */
  baseline?: string;
}

export const projectConfigSchema = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  title: 'paasport project config',
  type: 'object',
  additionalProperties: false,
  properties: {
    $schema: { type: 'string' },
    exclude: { type: 'array', items: { type: 'string', minLength: 1 } },
    rules: {
      type: 'object',
      additionalProperties: {
        oneOf: [
          { enum: ['off', ...SEVERITIES] },
          {
            type: 'object',
            additionalProperties: false,
            minProperties: 1,
            properties: { enabled: { type: 'boolean' }, severity: { enum: [...SEVERITIES] } },
          },
        ],
      },
    },
    thresholds: {
      type: 'object',
      additionalProperties: false,
      properties: { failOn: { enum: [...SEVERITIES] }, minScore: { type: 'number', minimum: 0, maximum: 100 } },
    },
    formats: { type: 'array', minItems: 1, items: { enum: [...REPORT_FORMATS] } },
    outDir: { type: 'string', minLength: 1 },
    daysPerPoint: { type: 'number', minimum: 0 },
    baseline: { type: 'string', minLength: 1 },
  },
} as const;

// Compiled on first use: most scans have no project config file (see catalog/load.ts).
const validator = once((): ValidateFunction => new (lazyRequire<{ Ajv: typeof AjvClass }>('ajv')().Ajv)({ allErrors: false, strict: false }).compile(projectConfigSchema));

export class ProjectConfigError extends Error {}

function describe(e: ErrorObject): string {
  const where = e.instancePath || '(top level)';
  if (e.keyword === 'additionalProperties') return `${where}: unknown key "${String(e.params.additionalProperty)}"`;
  if (e.keyword === 'enum') return `${where}: must be one of ${(e.params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`;
  if (e.keyword === 'oneOf') return `${where}: must be "off", a severity (${SEVERITIES.join('|')}) or { enabled, severity }`;
  return `${where}: ${e.message ?? 'invalid'}`;
}

/** Validates parsed config data; throws ProjectConfigError with a one-line message naming the file. */
export function validateProjectConfig(data: unknown, fileName: string): ProjectConfig {
  const validate = validator();
  if (!validate(data)) {
    // oneOf reports its branches' errors first; the oneOf summary is the readable one.
    const errs = validate.errors ?? [];
    const best = errs.find((e) => e.keyword === 'oneOf') ?? errs[0];
    throw new ProjectConfigError(`${fileName}: ${best ? describe(best) : 'invalid'}`);
  }
  return data as ProjectConfig;
}

/** Applies rule overrides to a loaded catalog; an override naming no loaded rule is an error. */
export function applyRuleOverrides(rules: readonly Rule[], overrides: ProjectConfig['rules'], fileName: string): Rule[] {
  if (!overrides) return [...rules];
  const ids = new Set(rules.map((r) => r.id));
  const unknown = Object.keys(overrides).filter((id) => !ids.has(id));
  if (unknown.length > 0) throw new ProjectConfigError(`${fileName}: /rules/${unknown[0]}: no such rule (see \`paasport rules list\`)`);
  const out: Rule[] = [];
  for (const rule of rules) {
    const o = overrides[rule.id];
    if (o === undefined) {
      out.push(rule);
      continue;
    }
    const norm = typeof o === 'string' ? (o === 'off' ? { enabled: false } : { severity: o }) : o;
    if (norm.enabled === false) continue;
    out.push(norm.severity ? { ...rule, severity: norm.severity } : rule);
  }
  return out;
}
