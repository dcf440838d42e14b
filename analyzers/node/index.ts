/**
 * The `node` analyzer: JavaScript and TypeScript sources (.js .cjs .mjs .jsx .ts .tsx) parsed one
 * file at a time with the TypeScript parser (ts-morph's `ts` export; no program, no type check, so a
 * file costs one parse and one walk). Every call, `new` and reference is traced to the module it
 * comes from (see bindings.ts), so rules say `{call: {module: fs, member: writeFileSync}}` rather than
 * guessing from names. A file with syntax errors is analyzed as far as the parser recovers and its
 * errors are reported. Comments are not syntax nodes, so commented-out code never matches.
 *
 * Project rules (`scope: project`) use per-file summaries: where the app listens, whether anything
 * handles SIGTERM/SIGINT, whether any route serves a health path, and where in-memory sessions are
 * written. See docs/rules-node.md for how the entry file is chosen.
 */
import type { Analyzer, AnalyzerRule, FileAnalysis, SourceFile } from '../../core/index.js';
import { finishNode } from './project.js';
import { validateMatch } from './rules.js';

export { chooseEntry, finishNode, type NodeSummary } from './project.js';

const EXTENSIONS = /\.(js|cjs|mjs|jsx|ts|tsx|mts|cts)$/i;

let analyzeFile: ((file: SourceFile, rules: AnalyzerRule[]) => FileAnalysis) | undefined;

export const nodeAnalyzer: Analyzer = {
  id: 'node',
  description: 'JavaScript/TypeScript syntax trees (TypeScript parser) with module binding resolution',
  exampleFile: 'example.js',
  caseSensitiveTokens: true,
  handles: (path) => (EXTENSIONS.test(path) && !/\.d\.[cm]?ts$/i.test(path)) || /(^|\/)package\.json$/.test(path),
  validate: validateMatch,
  async load() {
    analyzeFile ??= (await import('./analyze.js')).analyzeNodeSource;
  },
  analyze(file, rules) {
    if (!analyzeFile) throw new Error('node analyzer used before load()');
    return analyzeFile(file, rules);
  },
  finish: finishNode,
};
