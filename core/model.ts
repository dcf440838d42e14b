/**
 * The one data model every stage shares: analyzers produce matches, the engine turns them into
 * findings, reports and adapters read a ScanResult. Nothing here is Java- or Node-specific, so new
 * analyzers add rules, not report shapes.
 */

export const BLOCKER_CONCERNS = [
  'local-storage',
  'file-upload',
  'host-bound-config',
  'long-running-task',
  'local-credentials',
  'hardware-load-balancer',
  'session-state',
  'app-server-api',
  'file-logging',
  'in-memory-cache',
  'native-code',
  'process-exec',
  'messaging',
] as const;

/** Missing platform contracts: reported by absence rules, never by a line of code. */
export const CONTRACT_CONCERNS = ['health-check', 'graceful-shutdown'] as const;

export const CONCERNS = [...BLOCKER_CONCERNS, ...CONTRACT_CONCERNS] as const;
export type Concern = (typeof CONCERNS)[number];

export const SEVERITIES = ['mandatory', 'potential', 'optional'] as const;
export type Severity = (typeof SEVERITIES)[number];

export const EFFORTS = [1, 3, 5, 8, 13] as const;
export type Effort = (typeof EFFORTS)[number];

export interface Link {
  title: string;
  url: string;
}

export interface RuleExample {
  /** file name the snippet is analyzed as (decides the analyzer and `files` filters) */
  file?: string;
  code: string;
}

/** A rule as written in the catalog, after schema validation. */
export interface Rule {
  id: string;
  concern: Concern;
  severity: Severity;
  effort: Effort;
  title: string;
  message: string;
  rationale?: string;
  remediation: string;
  links: Link[];
  tags: string[];
  /** what `paasport generate` produces for a finding of this rule (free text, shown in reports) */
  generates?: string;
  match: RuleMatch;
  examples: { file?: string; positive: RuleExample[]; negative: RuleExample[] };
  /** where the rule was loaded from (POSIX path, relative to its catalog root or as given) */
  source: string;
}

/** A rule's prefilter tokens: any of the alternatives; an alternative that is a list needs all of its groups. */
export type RuleTokens = Array<string | Array<string | string[]>>;

/** The analyzer-neutral part of a rule's `match` block; the rest belongs to the analyzer. */
export interface RuleMatch {
  analyzer: string;
  /**
   * prefilter: a file is analyzed for this rule only if its text satisfies one of these alternatives —
   * a token, or a list of groups that must all occur, each a token or a list of tokens one of which
   * must occur. Tokens match case-sensitively in analyzers that declare `caseSensitiveTokens`, unless
   * written `(?i)text`. See docs/rules-tokens.md.
   */
  tokens?: RuleTokens;
  /** globs (POSIX, relative to the scanned root) restricting the files the rule looks at */
  files?: string[];
  [key: string]: unknown;
}

/** Rule metadata carried inside a result, so reports (SARIF rules, HTML cards) need no catalog. */
export interface RuleMeta {
  id: string;
  concern: Concern;
  severity: Severity;
  effort: Effort;
  title: string;
  message: string;
  rationale?: string;
  remediation: string;
  links: Link[];
  tags: string[];
  generates?: string;
}

export interface Finding {
  /** stable fingerprint: survives unrelated edits above the finding */
  id: string;
  ruleId: string;
  concern: Concern;
  severity: Severity;
  effort: Effort;
  /** POSIX path relative to the scanned root */
  file: string;
  line: number;
  column: number;
  endLine: number;
  message: string;
  /** the source line(s) of the finding, trimmed of trailing whitespace */
  snippet: string;
  remediation: string;
  /** the flagged lines with up to 3 lines either side, for reports that show code */
  context?: { startLine: number; lines: string[] };
  /** values the analyzer captured (e.g. the literal host), for messages and generators */
  captures?: Record<string, string>;
  /** set by the CI gate machinery (baselines, inline suppressions) */
  suppressed?: { kind: 'inline'; reason: string; /** the rule id or concern the directive named */ target?: string; /** 1-based line of the directive */ line?: number };
  /** only with a baseline: true = not in the baseline (counts for the gate), false = known */
  isNew?: boolean;
}

export interface SkippedFile {
  file: string;
  reason: string;
}

export interface FileError {
  file: string;
  message: string;
  line?: number;
}

export interface Notice {
  file: string;
  message: string;
}

export interface ScanSummary {
  /** files analyzed (read and handed to at least one analyzer) */
  files: number;
  findings: number;
  byConcern: Partial<Record<Concern, number>>;
  bySeverity: Record<Severity, number>;
  /** readiness 0–100 (docs/scoring.md); null = insufficient data (no supported source file analyzed) */
  score?: number | null;
  /** A–F, or 'N/A' with insufficient data */
  grade?: Grade;
  /** why the grade is lower than the score alone would give (e.g. a mandatory finding), if it is */
  gradeCap?: string;
  effort?: EffortEstimate;
  /** one entry per concern with active findings, in CONCERNS order */
  concerns?: ConcernScore[];
  /** suppressed findings (listed in `findings`, not counted above) */
  suppressed?: number;
  /** only with a baseline: active findings not in it */
  newFindings?: number;
  [extra: string]: unknown;
}

export const GRADES = ['A', 'B', 'C', 'D', 'E', 'F', 'N/A'] as const;
export type Grade = (typeof GRADES)[number];

export interface EffortEstimate {
  /** story points, after the repeated-hit discount (docs/scoring.md) */
  points: number;
  /** person-days = points × daysPerPoint */
  days: number;
  daysPerPoint: number;
}

export interface ConcernScore {
  concern: Concern;
  findings: number;
  bySeverity: Record<Severity, number>;
  /** rules with at least one active finding of this concern */
  rules: number;
  /** what this concern takes off the score (sum of its rules' penalties) */
  penalty: number;
  points: number;
  days: number;
}

export interface ScanResult {
  schemaVersion: 1;
  tool: { name: 'paasport'; version: string };
  root: string;
  startedAt?: string;
  durationMs?: number;
  summary: ScanSummary;
  rules: RuleMeta[];
  findings: Finding[];
  skipped: SkippedFile[];
  errors: FileError[];
  notices: Notice[];
}

export function toRuleMeta(rule: Rule): RuleMeta {
  const { id, concern, severity, effort, title, message, rationale, remediation, links, tags, generates } = rule;
  const meta: RuleMeta = { id, concern, severity, effort, title, message, remediation, links, tags };
  if (rationale !== undefined) meta.rationale = rationale;
  if (generates !== undefined) meta.generates = generates;
  return meta;
}
