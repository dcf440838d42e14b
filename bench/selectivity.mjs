#!/usr/bin/env node
/**
 * Prefilter selectivity: which share of a corpus each rule's tokens select, i.e. how much a cold scan
 * has to parse. Runs the real ScanPlan (dist/, so `npm run build` first) with every analyzer's
 * `analyze` replaced by a recorder, so nothing is parsed and the figures are exactly what a scan would
 * hand the analyzers. Not a test: nothing here fails a build.
 *
 *   node bench/selectivity.mjs <dir> [--analyzer java] [--rules <extra rules dir>] [--top 20] [--json]
 *
 * Prints, per analyzer, the share of its files and bytes the whole catalog selects, then one line per
 * rule (files, bytes) sorted by bytes. Files are every file under <dir> an analyzer handles and some
 * rule's `files` glob admits (no .gitignore or test-folder excludes: corpora are plain source trees).
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const { loadCatalog } = await import(path.join(ROOT, 'dist/cli/catalog.js'));
const { analyzers } = await import(path.join(ROOT, 'dist/cli/registry.js'));
const { ScanPlan } = await import(path.join(ROOT, 'dist/core/index.js'));

const args = process.argv.slice(2);
const opt = (name) => {
  const i = args.indexOf(name);
  if (i < 0) return undefined;
  const v = args[i + 1];
  args.splice(i, 2);
  return v;
};
const flag = (name) => {
  const i = args.indexOf(name);
  if (i >= 0) args.splice(i, 1);
  return i >= 0;
};
const only = opt('--analyzer');
const extra = opt('--rules');
const top = Number(opt('--top') ?? Infinity);
const asJson = flag('--json');
const dir = args[0];
if (!dir) {
  process.stderr.write('usage: node bench/selectivity.mjs <dir> [--analyzer id] [--rules dir] [--top n] [--json]\n');
  process.exit(2);
}

const { rules, problems } = loadCatalog(extra ? { extra: [extra] } : {});
if (problems.length) {
  for (const p of problems) process.stderr.write(`${p.file}: ${p.message}\n`);
  process.exit(2);
}
const selected = only ? rules.filter((r) => r.match.analyzer === only) : rules;

/** per analyzer: the rules it was handed for the current file */
let handed = new Map();
const recorders = analyzers.map((a) => ({
  ...a,
  analyze(_file, rs) {
    handed.set(a.id, rs.map((r) => r.id));
    return { matches: [] };
  },
}));
const plan = new ScanPlan(selected, recorders);

function* walk(d) {
  for (const e of readdirSync(d, { withFileTypes: true })) {
    if (e.name === 'node_modules' || e.name === '.git') continue;
    const p = path.join(d, e.name);
    if (e.isDirectory()) yield* walk(p);
    else if (e.isFile()) yield p;
  }
}

const perAnalyzer = new Map(); // id → {files, bytes, selFiles, selBytes}
const perRule = new Map(selected.map((r) => [r.id, { analyzer: r.match.analyzer, files: 0, bytes: 0 }]));
let prefilterMs = 0;
for (const abs of walk(path.resolve(dir))) {
  const rel = path.relative(dir, abs).split(path.sep).join('/');
  if (!plan.wants(rel)) continue;
  const text = readFileSync(abs, 'utf8');
  const bytes = Buffer.byteLength(text);
  handed = new Map();
  const t0 = performance.now();
  plan.analyzeFile({ path: rel, text });
  prefilterMs += performance.now() - t0;
  for (const a of recorders) {
    if (!a.handles(rel) || !selected.some((r) => r.match.analyzer === a.id && plan.wants(rel))) continue;
    const s = perAnalyzer.get(a.id) ?? { files: 0, bytes: 0, selFiles: 0, selBytes: 0 };
    perAnalyzer.set(a.id, s);
    s.files++;
    s.bytes += bytes;
    const ids = handed.get(a.id);
    if (!ids) continue;
    s.selFiles++;
    s.selBytes += bytes;
    for (const id of ids) {
      const r = perRule.get(id);
      r.files++;
      r.bytes += bytes;
    }
  }
}

const pct = (a, b) => (b === 0 ? '–' : `${((100 * a) / b).toFixed(1)} %`);
if (asJson) {
  process.stdout.write(`${JSON.stringify({ dir, prefilterMs: Math.round(prefilterMs), analyzers: Object.fromEntries(perAnalyzer), rules: Object.fromEntries(perRule) }, null, 2)}\n`);
} else {
  const out = [`# prefilter selectivity on ${dir} (prefilter + analyzeFile overhead: ${Math.round(prefilterMs)} ms)`, ''];
  for (const [id, s] of perAnalyzer) {
    out.push(`## ${id}: catalog selects ${s.selFiles} / ${s.files} files (${pct(s.selFiles, s.files)}), ${(s.selBytes / 1e6).toFixed(1)} / ${(s.bytes / 1e6).toFixed(1)} MB (${pct(s.selBytes, s.bytes)})`, '');
    out.push('| rule | files | share of files | share of bytes |', '|---|---:|---:|---:|');
    const rows = [...perRule].filter(([, r]) => r.analyzer === id).sort((a, b) => b[1].bytes - a[1].bytes || (a[0] < b[0] ? -1 : 1));
    for (const [rid, r] of rows.slice(0, top)) out.push(`| ${rid} | ${r.files} | ${pct(r.files, s.files)} | ${pct(r.bytes, s.bytes)} |`);
    out.push('');
  }
  process.stdout.write(`${out.join('\n')}\n`);
}
