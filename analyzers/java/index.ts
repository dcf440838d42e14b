/**
 * The `java` analyzer: tree-sitter-java's syntax tree (WebAssembly), read into facts by one Query and
 * one walk (parse.ts, tree.ts, facts.ts), against which every applicable rule's patterns are
 * evaluated (patterns.ts documents the match language). A file with syntax errors is reported in
 * `errors` and still evaluated: on the tree as far as the parser recovered, and on facts read
 * lexically from its comment-stripped text on the damaged lines (lexical.ts), so one broken file
 * never hides the blockers in it.
 */
import type { Analyzer, AnalyzerRule, FileAnalysis, Match, SourceFile } from '../../core/index.js';
import { loadJavaParser, parseJava } from './parse.js';
import { compileMatch, evaluate, validateMatch, type CompiledMatch } from './patterns.js';

const compiled = new WeakMap<object, CompiledMatch & { typeRefs: boolean }>();

function compiledFor(rule: AnalyzerRule): CompiledMatch & { typeRefs: boolean } {
  let c = compiled.get(rule.match);
  if (!c) {
    const m = compileMatch(rule.match);
    c = { ...m, typeRefs: [...m.any, ...m.when, ...m.not].some((p) => p.k === 'type') };
    compiled.set(rule.match, c);
  }
  return c;
}

export const javaAnalyzer: Analyzer = {
  id: 'java',
  description: 'Java sources, parsed with tree-sitter-java: imports, types, calls, constructors, annotations and string literals with their context',
  exampleFile: 'Example.java',
  caseSensitiveTokens: true,
  handles: (path) => path.endsWith('.java'),
  validate: (match) => validateMatch(match),
  load: loadJavaParser,
  analyze(file: SourceFile, rules: AnalyzerRule[]): FileAnalysis {
    const matchers = rules.map((rule) => ({ id: rule.id, match: compiledFor(rule) }));
    // Type references are a fifth of a file's nodes, and only `type` patterns read them.
    const parsed = parseJava(file.text, { typeRefs: matchers.some((m) => m.match.typeRefs) });
    const matches: Match[] = [];
    for (const m of matchers) matches.push(...evaluate(m.id, m.match, parsed.facts));
    const result: FileAnalysis = { matches };
    if (parsed.error) result.errors = [parsed.error];
    return result;
  },
};
