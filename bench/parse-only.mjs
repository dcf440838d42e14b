#!/usr/bin/env node
/**
 * Parse-only comparison on the same Java files, one thread: java-parser (what analyzers/java uses)
 * against tree-sitter-java's WebAssembly build under web-tree-sitter (both bench-only here).
 * Usage: node bench/parse-only.mjs [dir] (default bench/corpus/java.base; run `npm run bench` once
 * to unpack it). Prints load time, parse time, MB/s and RSS for each.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dir = process.argv[2] ?? path.join(ROOT, 'bench', 'corpus', 'java.base');
const files = readdirSync(dir, { recursive: true })
  .filter((f) => f.endsWith('.java'))
  .sort()
  .map((f) => readFileSync(path.join(dir, f), 'utf8'));
const mb = files.reduce((n, t) => n + Buffer.byteLength(t), 0) / 1e6;
const which = process.env.PARSER ?? 'both';
const rss = () => `${Math.round(process.memoryUsage().rss / 1e6)} MB RSS`;

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
  let errors = 0;
  for (const text of files) {
    const tree = parser.parse(text);
    if (tree.rootNode.hasError) errors += 1;
    tree.delete();
  }
  const s = (performance.now() - t0) / 1000;
  console.log(`tree-sitter-java (wasm): load ${load.toFixed(0)} ms, parse ${s.toFixed(2)} s, ${(mb / s).toFixed(1)} MB/s, ${errors} files with errors, ${rss()}`);
}

async function javaParser() {
  let t0 = performance.now();
  const jp = await import('java-parser');
  const load = performance.now() - t0;
  t0 = performance.now();
  let errors = 0;
  for (const text of files) {
    try {
      jp.parse(text);
    } catch {
      errors += 1;
    }
  }
  const s = (performance.now() - t0) / 1000;
  console.log(`java-parser:             load ${load.toFixed(0)} ms, parse ${s.toFixed(2)} s, ${(mb / s).toFixed(1)} MB/s, ${errors} files with errors, ${rss()}`);
}

console.log(`${files.length} files, ${mb.toFixed(1)} MB`);
if (which !== 'java-parser') await treeSitter();
if (which !== 'tree-sitter') await javaParser();
