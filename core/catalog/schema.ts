/**
 * The rule schema: the one source of truth for what a rule file may say. `rules/rule.schema.json` is
 * generated from it (`npm run rules:schema`) for editor completion; a test keeps the two equal.
 * Unknown keys are errors so a typo never silently disables part of a rule. The `match` block is
 * open here and checked by its analyzer's own `validate`.
 */
import { CONCERNS, EFFORTS, SEVERITIES } from '../model.js';

const example = {
  oneOf: [
    { type: 'string', minLength: 1 },
    {
      type: 'object',
      additionalProperties: false,
      required: ['code'],
      properties: {
        file: { type: 'string', minLength: 1 },
        code: { type: 'string' },
      },
    },
  ],
} as const;

/** One prefilter token: a literal, or `(?i)literal` to match it in any case. */
const token = { type: 'string', minLength: 1, not: { const: '(?i)' } } as const;

export const ruleSchema = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  $id: 'https://paasport.dev/schemas/rule.schema.json',
  title: 'paasport rule',
  type: 'object',
  additionalProperties: false,
  required: ['id', 'concern', 'severity', 'effort', 'title', 'message', 'remediation', 'links', 'tags', 'match', 'examples'],
  properties: {
    id: { type: 'string', pattern: '^[a-z0-9][a-z0-9-]*(/[a-z0-9][a-z0-9-]*)+$', description: 'area/name; equals the file path under the catalog root without .yaml' },
    concern: { enum: [...CONCERNS] },
    severity: { enum: [...SEVERITIES], description: 'mandatory: must change to run on the platform; potential: may need change; optional: improves fitness' },
    effort: { enum: [...EFFORTS], description: 'story points per occurrence' },
    title: { type: 'string', minLength: 3, maxLength: 120 },
    message: { type: 'string', minLength: 3, description: 'what was found; may interpolate {{capture}}' },
    rationale: { type: 'string', minLength: 3, description: 'why it matters on a platform' },
    remediation: { type: 'string', minLength: 3, description: 'Markdown: how to fix it' },
    generates: { type: 'string', description: 'what `paasport generate` writes for a finding of this rule' },
    links: {
      type: 'array',
      minItems: 1,
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['title', 'url'],
        properties: { title: { type: 'string', minLength: 1 }, url: { type: 'string', pattern: '^https?://' } },
      },
    },
    tags: { type: 'array', items: { type: 'string', minLength: 1 } },
    match: {
      type: 'object',
      required: ['analyzer'],
      properties: {
        analyzer: { type: 'string', minLength: 1 },
        tokens: {
          type: 'array',
          minItems: 1,
          description:
            'prefilter (docs/rules-tokens.md): the file is analyzed for this rule only if its text satisfies one entry — a token, or a list of groups that must all occur, each a token or a list of tokens one of which must occur. Java and JavaScript tokens are case-sensitive unless written (?i)text',
          items: { oneOf: [token, { type: 'array', minItems: 1, items: { oneOf: [token, { type: 'array', minItems: 1, items: token }] } }] },
        },
        files: { type: 'array', minItems: 1, items: { type: 'string', minLength: 1 } },
        scope: { enum: ['file', 'project'] },
      },
    },
    examples: {
      type: 'object',
      additionalProperties: false,
      required: ['positive', 'negative'],
      properties: {
        file: { type: 'string', minLength: 1, description: 'default file name the examples are analyzed as' },
        positive: { type: 'array', minItems: 1, items: example },
        negative: { type: 'array', items: example },
      },
    },
  },
} as const;
