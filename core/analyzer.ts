/**
 * The provider contract. An analyzer is the only place a parser is imported; it receives a file's
 * text and the rules addressed to it, and returns plain, serializable matches (so analysis can run
 * in worker threads and be cached). Analyzers keep no state between files.
 */
import type { RuleMatch } from './model.js';

export interface SourceFile {
  /** POSIX path relative to the scanned root */
  path: string;
  text: string;
}

/** What an analyzer sees of a rule: its id and its match block. */
export interface AnalyzerRule {
  id: string;
  match: RuleMatch;
}

export interface Match {
  ruleId: string;
  /** 1-based */
  line: number;
  /** 1-based */
  column: number;
  endLine?: number;
  captures?: Record<string, string>;
}

export interface FileAnalysis {
  matches: Match[];
  /** parse problems: the file is listed in the report's `errors`, its other matches still count */
  errors?: { message: string; line?: number }[];
  /**
   * JSON-serializable facts for project-level (absence) rules, handed to `finish` together with the
   * summaries of every other file this analyzer saw.
   */
  summary?: unknown;
}

export interface ProjectMatch extends Match {
  file: string;
}

export interface Analyzer {
  id: string;
  description: string;
  /** file name a rule example is analyzed as when the rule names none (e.g. `Example.java`) */
  exampleFile?: string;
  /**
   * Whether rule tokens match case-sensitively (unless written `(?i)text`): true for languages whose
   * identifiers are case-sensitive (Java, JavaScript), where `Part` must not select every file that says
   * "particular". Config formats, whose keys are often case-insensitive, leave it unset.
   */
  caseSensitiveTokens?: boolean;
  /** whether the analyzer reads a file at this POSIX path at all */
  handles(path: string): boolean;
  /**
   * Problems with one rule's match block, each as `[field path, message]`, e.g.
   * `['match.any[0].constructor', 'expected a string']`. An empty list means valid.
   */
  validate(match: RuleMatch): Array<[string, string]>;
  /**
   * Loads the analyzer's parser. Parsers take from milliseconds to seconds to load (and WebAssembly
   * ones load asynchronously), while most scans need only some of them and a warm re-scan needs none,
   * so a parser is never imported at module load: the scan awaits `load()` once, only for analyzers
   * that have a file to analyze, before their first `analyze()`. Idempotent; `analyze()` throws if it
   * was not awaited. `handles` and `validate` never need it.
   */
  load?(): Promise<void>;
  analyze(file: SourceFile, rules: AnalyzerRule[]): FileAnalysis;
  /**
   * Project-level rules (e.g. "no health route anywhere"): called once per scan with the summaries of
   * every analyzed file and the project rules (those whose match block says `scope: project`).
   */
  finish?(summaries: Array<{ path: string; summary: unknown }>, rules: AnalyzerRule[]): ProjectMatch[];
}

/** Rules with `match.scope: project` are evaluated in `finish`, not per file. */
export function isProjectRule(match: RuleMatch): boolean {
  return match.scope === 'project';
}
