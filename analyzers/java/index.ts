/**
 * The `java` analyzer: java-parser's CST, walked once per file into facts (facts.ts, cst.ts), against
 * which every applicable rule's patterns are evaluated (patterns.ts documents the match language). A
 * file java-parser cannot parse is reported in `errors` and still evaluated, on facts read lexically
 * from its comment-stripped text (lexical.ts), so one broken file never hides the blockers in it.
 */
import type { Analyzer, AnalyzerRule, FileAnalysis, Match, SourceFile } from '../../core/index.js';
import { parseJava } from './cst.js';
import { lexicalFacts } from './lexical.js';
import { compileMatch, evaluate, validateMatch, type CompiledMatch } from './patterns.js';

const compiled = new WeakMap<object, CompiledMatch>();

function compiledFor(rule: AnalyzerRule): CompiledMatch {
  let c = compiled.get(rule.match);
  if (!c) {
    c = compileMatch(rule.match);
    compiled.set(rule.match, c);
  }
  return c;
}

export const javaAnalyzer: Analyzer = {
  id: 'java',
  description: 'Java sources, parsed with java-parser: imports, types, calls, constructors, annotations and string literals with their context',
  exampleFile: 'Example.java',
  handles: (path) => path.endsWith('.java'),
  validate: (match) => validateMatch(match),
  analyze(file: SourceFile, rules: AnalyzerRule[]): FileAnalysis {
    const parsed = parseJava(file.text);
    const facts = parsed.error ? lexicalFacts(file.text) : parsed.facts;
    const matches: Match[] = [];
    for (const rule of rules) matches.push(...evaluate(rule.id, compiledFor(rule), facts));
    const result: FileAnalysis = { matches };
    if (parsed.error) result.errors = [{ ...parsed.error, message: `${parsed.error.message} (analyzed lexically instead; findings may be less precise)` }];
    return result;
  },
};
