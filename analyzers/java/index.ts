/**
 * The `java` analyzer: tree-sitter-java's syntax tree (WebAssembly), read into facts by one Query and
 * one walk (parse.ts, tree.ts, facts.ts), against which every applicable rule's patterns are
 * evaluated (patterns.ts documents the match language). A file with syntax errors is reported in
 * `errors` and still evaluated: on the tree as far as the parser recovered, and on facts read
 * lexically from its comment-stripped text on the damaged lines (lexical.ts), so one broken file
 * never hides the blockers in it. A file handed only rules that can match nothing but a literal is
 * first read lexically (literals.ts), and not parsed when none of its literal values could match.
 */
import type { Analyzer, AnalyzerRule, FileAnalysis, Match, SourceFile } from '../../core/index.js';
import { loadJavaParser, parseJava } from './parse.js';
import { anyValuePasses, literalValues, type LiteralTest } from './literals.js';
import { compileMatch, evaluate, validateMatch, type CompiledMatch } from './patterns.js';

interface Compiled extends CompiledMatch {
  typeRefs: boolean;
  /**
   * When every `any` pattern is a literal: their value conditions. Only `any` patterns produce
   * matches (`when` and `not` only withhold them), so such a rule finds nothing in a file none of
   * whose literal values passes one of these.
   */
  literalOnly?: LiteralTest[];
}

const compiled = new WeakMap<object, Compiled>();

function compiledFor(rule: AnalyzerRule): Compiled {
  let c = compiled.get(rule.match);
  if (!c) {
    const m = compileMatch(rule.match);
    c = { ...m, typeRefs: [...m.any, ...m.when, ...m.not].some((p) => p.k === 'type') };
    if (m.any.length > 0 && m.any.every((p) => p.k === 'literal')) {
      c.literalOnly = m.any.map((p) => (p.k === 'literal' ? { ...(p.regex && { regex: p.regex }), ...(p.unless && { unless: p.unless }) } : {}));
    }
    compiled.set(rule.match, c);
  }
  return c;
}

/**
 * One file's analysis. `precheck: false` parses whatever the rules, which the tests compare against:
 * the precheck may only ever save the parse, never change a result.
 */
export function analyzeJava(file: SourceFile, rules: AnalyzerRule[], precheck = true): FileAnalysis {
  let matchers = rules.map((rule) => ({ id: rule.id, match: compiledFor(rule) }));
  // Files are mostly selected for literal-only rules by common words in their tokens (host,
  // server, token), and a quick read of the literals settles most of them without a parse. A file
  // that some other rule selected is parsed anyway, and is not scanned.
  if (precheck && matchers.length > 0 && matchers.every((m) => m.match.literalOnly)) {
    const values = literalValues(file.text);
    if (values !== undefined) {
      matchers = matchers.filter((m) => anyValuePasses(values, m.match.literalOnly!));
      if (matchers.length === 0) return { matches: [] };
    }
  }
  // Type references are a fifth of a file's nodes, and only `type` patterns read them.
  const parsed = parseJava(file.text, { typeRefs: matchers.some((m) => m.match.typeRefs) });
  const matches: Match[] = [];
  for (const m of matchers) matches.push(...evaluate(m.id, m.match, parsed.facts));
  const result: FileAnalysis = { matches };
  if (parsed.error) result.errors = [parsed.error];
  return result;
}

export const javaAnalyzer: Analyzer = {
  id: 'java',
  description: 'Java sources, parsed with tree-sitter-java: imports, types, calls, constructors, annotations and string literals with their context',
  exampleFile: 'Example.java',
  caseSensitiveTokens: true,
  handles: (path) => path.endsWith('.java'),
  validate: (match) => validateMatch(match),
  load: loadJavaParser,
  analyze: (file, rules) => analyzeJava(file, rules),
};
