#!/usr/bin/env node
/**
 * What the Java analyzer's parser costs, one thread: tree-sitter-java's WebAssembly build under
 * web-tree-sitter parsing every file (what analyzers/java uses), and — once `npm run build` has
 * compiled it — the analyzer's own parse plus walk into facts (analyzers/java/parse.ts), so the
 * cost of the walk shows against the parse it rests on.
 * Usage: node bench/parse-only.mjs [dir] (default bench/corpus/java.base; run `npm run bench` once
 * to unpack it). PARSER=tree-sitter skips the facts line. Prints load time, time, MB/s and RSS.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dir = process.argv[2] ?? path.join(ROOT, 'bench', 'corpus', 'java.base');
const files = readdirSync(dir, { recursive: true })
  .filter((f) => f.endsWith('.java'))
  .sort()
  .map((f) => readFileSync(path.join(dir, f), 'utf8'));
const mb = files.reduce((n, t) => n + Buffer.byteLength(t), 0) / 1e6;
const rss = () => `${Math.round(process.memoryUsage().rss / 1e6)} MB RSS`;
const cpu = () => {
  const c = process.cpuUsage();
  return (c.user + c.system) / 1e6;
};

async function treeSitter() {
  let t0 = performance.now();
  const { Parser, Language } = await import('web-tree-sitter');
  await Parser.init();
  const require = createRequire(import.meta.url);
  const java = await Language.load(require.resolve('tree-sitter-java/tree-sitter-java.wasm'));
  const parser = new Parser();
  parser.setLanguage(java);
  const load = performance.now() - t0;
  t0 = performance.now();
  const c0 = cpu();
  let errors = 0;
  for (const text of files) {
    const tree = parser.parse(text);
    if (tree.rootNode.hasError) errors += 1;
    tree.delete();
  }
  const s = (performance.now() - t0) / 1000;
  console.log(`tree-sitter-java (wasm), parse: load ${load.toFixed(0)} ms, ${s.toFixed(2)} s (${(cpu() - c0).toFixed(2)} CPU-s), ${(mb / s).toFixed(1)} MB/s, ${errors} files with errors, ${rss()}`);
}

async function parseAndFacts() {
  const compiled = path.join(ROOT, 'dist', 'analyzers', 'java', 'parse.js');
  if (!existsSync(compiled)) {
    console.log('parse + facts: skipped (run `npm run build` first)');
    return;
  }
  const { loadJavaParser, parseJava } = await import(pathToFileURL(compiled).href);
  let t0 = performance.now();
  await loadJavaParser();
  const load = performance.now() - t0;
  t0 = performance.now();
  const c0 = cpu();
  let facts = 0;
  // (without type references, as the analyzer runs unless a rule has a `type` pattern)
  for (const text of files) facts += parseJava(text, { typeRefs: false }).facts.calls.length;
  const s = (performance.now() - t0) / 1000;
  console.log(`analyzers/java, parse + facts: load ${load.toFixed(0)} ms, ${s.toFixed(2)} s (${(cpu() - c0).toFixed(2)} CPU-s), ${(mb / s).toFixed(1)} MB/s, ${facts} calls, ${rss()}`);
}

console.log(`${files.length} files, ${mb.toFixed(1)} MB`);
await treeSitter();
if (process.env.PARSER !== 'tree-sitter') await parseAndFacts();
