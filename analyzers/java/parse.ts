/**
 * tree-sitter-java's WebAssembly build under web-tree-sitter: loaded once per thread by
 * `loadJavaParser()` (the module and the grammar load asynchronously, and are imported only then, so
 * a scan without Java files — or a warm re-scan — never loads them), then per file one parse and one
 * walk inside WebAssembly for the nodes the facts are made of (tree.ts). tree-sitter always returns a
 * tree: where the text does not parse, the tree holds ERROR and MISSING nodes around the damage and
 * is sound elsewhere, so facts come from the tree except on the lines from the first to the last
 * syntax error, which are read lexically (lexical.ts) — a merge conflict's two halves, say, which no
 * recovered tree represents faithfully.
 */
import { createRequire } from 'node:module';
import type { Parser, Query, Tree } from 'web-tree-sitter';
import type { JavaFacts } from './facts.js';
import { lexicalFacts } from './lexical.js';
import { factsFromTree, KINDS, sparseTree, TYPE_KINDS, type RawNode } from './tree.js';

export interface ParseOutcome {
  facts: JavaFacts;
  error?: { message: string; line?: number };
}

interface Loaded {
  parser: Parser;
  /** finds the syntax errors of a tree that has some */
  errors: Query;
  kinds: string[];
  /** without the type names, which make up a fifth of the nodes and matter only to `type` patterns */
  kindsWithoutTypes: string[];
  kindById: Array<string | undefined>;
}

let loading: Promise<void> | undefined;
let loaded: Loaded | undefined;

/** Loads the parser, once; later calls return the same promise. */
export function loadJavaParser(): Promise<void> {
  loading ??= (async () => {
    const { Parser, Language, Query } = await import('web-tree-sitter');
    await Parser.init();
    const require = createRequire(import.meta.url);
    const java = await Language.load(require.resolve('tree-sitter-java/tree-sitter-java.wasm'));
    const parser = new Parser();
    parser.setLanguage(java);
    const kindById: Array<string | undefined> = java.types.map((t) => KINDS[t]);
    const kinds = Object.keys(KINDS);
    loaded = { parser, errors: new Query(java, '(ERROR) @error (MISSING) @missing'), kinds, kindsWithoutTypes: kinds.filter((k) => !TYPE_KINDS.has(k)), kindById };
  })().catch((e: unknown) => {
    // a failed load may be retried
    loading = undefined;
    throw e;
  });
  return loading;
}

export interface ParseOptions {
  /** collect `typeRefs` (default true); the analyzer asks only when a rule has a `type` pattern */
  typeRefs?: boolean;
}

export function parseJava(text: string, options: ParseOptions = {}): ParseOutcome {
  if (!loaded) throw new Error('the java analyzer was used before load(): await javaAnalyzer.load() first');
  const tree = loaded.parser.parse(text);
  if (!tree) throw new Error('tree-sitter returned no tree');
  // The tree lives in WebAssembly memory, which JavaScript's GC does not see: free it on every path.
  try {
    const root = tree.rootNode;
    const typeRefs = options.typeRefs ?? true;
    const nodes = root.descendantsOfType(typeRefs ? loaded.kinds : loaded.kindsWithoutTypes) as unknown as RawNode[];
    const facts = factsFromTree(sparseTree(nodes, loaded.kindById), text, typeRefs);
    if (!root.hasError) return { facts };
    return withLexicalRepair(facts, text, problems(tree, loaded.errors, text));
  } finally {
    tree.delete();
  }
}

interface SyntaxProblem {
  line: number;
  column: number;
  endLine: number;
  /** the unparsable text's first line, or the token the parser expected */
  text: string;
  missing: boolean;
}

function problems(tree: Tree, query: Query, text: string): SyntaxProblem[] {
  const out: SyntaxProblem[] = [];
  for (const c of query.captures(tree.rootNode)) {
    const n = c.node;
    const missing = c.name === 'missing';
    const p = n.startPosition;
    const e = n.endPosition;
    // (a missing node has no text: its type is the token the parser expected)
    const what = missing ? n.type : text.slice(n.startIndex, Math.min(n.endIndex, n.startIndex + 40)).split(/\r?\n/)[0]!.trim();
    out.push({ line: p.row + 1, column: p.column + 1, endLine: e.row + 1, text: what, missing });
  }
  return out.sort((a, b) => a.line - b.line || a.column - b.column);
}

/**
 * Facts of a file with syntax errors: the tree's outside the damaged lines, the lexical pass's
 * inside them, and one error entry naming the first problem.
 */
function withLexicalRepair(facts: JavaFacts, text: string, found: SyntaxProblem[]): ParseOutcome {
  const first = found[0];
  if (!first) return { facts, error: { message: 'Java parse error: the parser reported a syntax error it did not locate (analyzed as far as it recovered)' } };
  let from = first.line;
  let to = first.endLine;
  for (const p of found) {
    from = Math.min(from, p.line);
    to = Math.max(to, p.endLine);
  }
  const lexical = lexicalFacts(text);
  const inside = (f: { line: number }) => f.line >= from && f.line <= to;
  const outside = (f: { line: number }) => !inside(f);
  const merged: JavaFacts = {
    imports: [...facts.imports.filter(outside), ...lexical.imports.filter(inside)],
    typeRefs: [...facts.typeRefs.filter(outside), ...lexical.typeRefs.filter(inside)],
    annotations: [...facts.annotations.filter(outside), ...lexical.annotations.filter(inside)],
    inherits: [...facts.inherits.filter(outside), ...lexical.inherits.filter(inside)],
    news: [...facts.news.filter(outside), ...lexical.news.filter(inside)],
    calls: [...facts.calls.filter(outside), ...lexical.calls.filter(inside)],
    literals: [...facts.literals.filter(outside), ...lexical.literals.filter(inside)],
    fields: [...facts.fields.filter(outside), ...lexical.fields.filter(inside)],
    casts: [...facts.casts.filter(outside), ...lexical.casts.filter(inside)],
    natives: [...facts.natives.filter(outside), ...lexical.natives.filter(inside)],
    lexical: true,
  };
  const pkg = facts.package ?? lexical.package;
  if (pkg !== undefined) merged.package = pkg;
  const what = first.missing ? `missing "${first.text}"` : first.text ? `unexpected "${first.text}"` : 'unexpected text';
  const lines = from === to ? `line ${from}` : `lines ${from}–${to}`;
  return {
    facts: merged,
    error: {
      message: `Java parse error: syntax error at line ${first.line}, column ${first.column}: ${what} (analyzed as far as the parser recovered, ${lines} lexically; findings there may be less precise)`,
      line: first.line,
    },
  };
}
