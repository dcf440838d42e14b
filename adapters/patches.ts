/**
 * Patches (--patch): unified diffs that add the adapters to the app's tree and rewire call sites to
 * them, only where the rewrite keeps the code's meaning and types:
 *  - Node: `fs.writeFile(…)` / `fs.promises.writeFile(…)` on a flagged line → the blob store's fs-compatible
 *    facade (same arguments, same callback or promise);
 *  - Node: `session({ … })` without a `store` → the Redis store;
 *  - Java: `new FileOutputStream(path)` where only an OutputStream is needed → BlobStores.outputStream(path);
 *    `Writer w = new FileWriter(path)` → a Writer on that stream; a servlet `part.write(path);` → BlobStore put;
 *  - web.xml: `<distributable/>` when sessions are externalized.
 * Anything else stays a manual step. The scanned tree is never touched: diffs are files in the output.
 */
import path from 'node:path';
import type { Finding } from '../core/index.js';
import { newFileDiff, unifiedDiff, type LineEdit } from './diff.js';
import { addDistributable, JAVA_DIR } from './java/index.js';
import { NODE_DIR } from './node/index.js';
import type { Output } from './output.js';
import type { Context } from './types.js';

interface FileEdits {
  edits: LineEdit[];
  /** findings this file's edits resolve */
  resolves: Finding[];
}

const isJs = (f: string) => /\.(c|m)?[jt]sx?$/.test(f);

function relRequire(fromFile: string, target: string): string {
  const rel = path.posix.relative(path.posix.dirname(fromFile), target);
  return rel.startsWith('.') ? rel : `./${rel}`;
}

function isEsm(file: string, text: string): boolean {
  return file.endsWith('.mjs') || file.endsWith('.ts') || file.endsWith('.mts') || /^\s*import\s[^('"]*from\s*['"]/m.test(text) || /^\s*export\s/m.test(text);
}

/** Index of the line after the file's leading block of requires/imports (and header comments). */
function afterImports(lines: string[]): number {
  let last = -1;
  for (let i = 0; i < Math.min(lines.length, 200); i++) {
    const l = lines[i]!;
    if (/^\s*(import\s|const\s+\{?[\w\s,{}:]+\}?\s*=\s*require\(|(var|let)\s+\w+\s*=\s*require\(|['"]use strict['"])/.test(l)) {
      // a multi-line import ends at the line closing it
      let j = i;
      if (/^\s*import\s/.test(l) && !/from\s*['"]|^\s*import\s*['"]/.test(l)) while (j < lines.length - 1 && !/from\s*['"]/.test(lines[j]!)) j++;
      last = j;
      i = j;
    } else if (last >= 0 && l.trim() !== '' && !/^\s*(\/\/|\/\*|\*)/.test(l)) {
      break;
    }
  }
  return last + 1;
}

/** The text of a call starting at line `start`, up to its balanced closing parenthesis (bounded). */
function callText(lines: string[], start: number, openAt: number): { text: string; endLine: number } | undefined {
  let depth = 0;
  let text = '';
  for (let i = start; i < Math.min(lines.length, start + 40); i++) {
    const l = i === start ? lines[i]!.slice(openAt) : lines[i]!;
    for (let k = 0; k < l.length; k++) {
      const ch = l[k]!;
      if (ch === '(') depth++;
      else if (ch === ')') {
        depth--;
        if (depth === 0) return { text: text + l.slice(0, k + 1), endLine: i };
      }
    }
    text += `${l}\n`;
  }
  return undefined;
}

function nodeEdits(ctx: Context, file: string, text: string, findings: Finding[]): FileEdits | undefined {
  const lines = text.split('\n');
  const esm = isEsm(file, text);
  const edits: LineEdit[] = [];
  const resolves: Finding[] = [];
  const imports: string[] = [];
  const done = new Set<number>();
  const appRel = (m: string) => relRequire(file, `paasport/${m}`);

  for (const f of findings) {
    const i = f.line - 1;
    const line = lines[i];
    if (line === undefined || done.has(i)) continue;
    if ((f.concern === 'local-storage' || f.concern === 'file-upload') && /\bfs\.(promises\.)?writeFile\s*\(/.test(line) && !/\bwriteFileSync\b/.test(line)) {
      edits.push({ start: i, remove: 1, insert: [line.replace(/\bfs\.(promises\.)?writeFile(\s*\()/, (_m, p: string | undefined, paren: string) => `blobFs.${p ?? ''}writeFile${paren}`)] });
      done.add(i);
      resolves.push(f);
      if (!/\bblobFs\b/.test(text)) imports.push(esm ? `import { blobFs } from '${appRel('blob-store.js')}';` : `const { blobFs } = require('${appRel('blob-store')}');`);
      continue;
    }
    if (f.concern === 'file-upload') {
      const at = line.search(/\bmulter\s*\(\s*\{/);
      if (at < 0) continue;
      const call = callText(lines, i, at);
      if (!call || /\bstorage\s*:/.test(call.text)) continue;
      const expr = esm ? 'paasportBlobStorage()' : `require('${appRel('multer-storage')}').blobStorage()`;
      // `dest: <one-line value>` is swapped for the storage engine; a multi-line value is left alone.
      const destRe = /\bdest\s*:\s*(?:[^,{}()]|\([^()]*\))+?(?=\s*(?:,|\}|$))/;
      let edited = false;
      for (let k = i; k <= call.endLine; k++) {
        const l = lines[k]!;
        if (!destRe.test(l)) continue;
        edits.push({ start: k, remove: 1, insert: [l.replace(destRe, `storage: ${expr}`)] });
        done.add(k);
        edited = true;
        break;
      }
      if (!edited) continue;
      if (esm) imports.push(`import { blobStorage as paasportBlobStorage } from '${appRel('multer-storage.js')}';`);
      resolves.push(f);
      continue;
    }
    if (f.concern === 'session-state') {
      const at = line.search(/\bsession\s*\(\s*\{/);
      if (at < 0) continue;
      const call = callText(lines, i, at);
      if (!call || /\bstore\s*:/.test(call.text)) continue;
      const expr = esm ? 'paasportSessionStore()' : `require('${appRel('session')}').sessionStore()`;
      if (esm) imports.push(`import { sessionStore as paasportSessionStore } from '${appRel('session.js')}';`);
      const brace = line.indexOf('{', at);
      if (call.endLine === i) {
        edits.push({ start: i, remove: 1, insert: [`${line.slice(0, brace + 1)} store: ${expr},${line.slice(brace + 1)}`] });
      } else {
        const indent = /^\s*/.exec(lines[i + 1] ?? '')?.[0] || `${/^\s*/.exec(line)![0]}  `;
        edits.push({ start: i + 1, remove: 0, insert: [`${indent}store: ${expr},`] });
      }
      done.add(i);
      resolves.push(f);
    }
  }
  if (edits.length === 0) return undefined;
  const uniq = [...new Set(imports)];
  if (uniq.length > 0) edits.push({ start: afterImports(lines), remove: 0, insert: uniq });
  // An insertion at the same index as a line edit must come first in the diff.
  return { edits: mergeSameStart(edits), resolves };
}

function mergeSameStart(edits: LineEdit[]): LineEdit[] {
  const byStart = new Map<number, LineEdit>();
  for (const e of [...edits].sort((a, b) => a.start - b.start || a.remove - b.remove)) {
    const prev = byStart.get(e.start);
    if (prev) byStart.set(e.start, { start: e.start, remove: prev.remove + e.remove, insert: [...prev.insert, ...e.insert] });
    else byStart.set(e.start, e);
  }
  return [...byStart.values()];
}

const OUTPUT_STREAM_CONTEXT = /(\bOutputStream\s+\w+\s*=\s*|\bnew\s+(?:Buffered|Data|Object|GZIP|Zip)OutputStream\s*\(\s*|\bnew\s+(?:OutputStreamWriter|PrintStream|PrintWriter)\s*\(\s*)new\s+(?:java\.io\.)?FileOutputStream\s*\(/;

/** The single argument of the call whose `(` is at `open`, or undefined when it has several. */
function singleArgument(line: string, open: number): { arg: string; end: number } | undefined {
  let depth = 0;
  let quote: string | undefined;
  for (let k = open; k < line.length; k++) {
    const ch = line[k]!;
    if (quote) {
      if (ch === '\\') k++;
      else if (ch === quote) quote = undefined;
      continue;
    }
    if (ch === '"' || ch === "'") quote = ch;
    else if (ch === '(') depth++;
    else if (ch === ')') {
      depth--;
      if (depth === 0) {
        const arg = line.slice(open + 1, k).trim();
        return arg ? { arg, end: k } : undefined;
      }
    } else if (ch === ',' && depth === 1) return undefined;
  }
  return undefined;
}

/**
 * `FileOutputStream v = new FileOutputStream(x)`: retyped to OutputStream when nothing in the file uses
 * v as a FileOutputStream (channel, descriptor) or hands it to another method, which might want one.
 */
function declaredFileOutputStream(line: string, text: string): (RegExpExecArray & { retype?: boolean }) | null {
  const m = /(\b(?:java\.io\.)?FileOutputStream\s+(\w+)\s*=\s*)new\s+(?:java\.io\.)?FileOutputStream\s*\(/.exec(line) as (RegExpExecArray & { retype?: boolean }) | null;
  if (!m) return null;
  const v = m[2]!;
  if (new RegExp(`\\b${v}\\s*\\.\\s*(getChannel|getFD)\\b|[(,]\\s*${v}\\s*[,)]`).test(text)) return null;
  m.retype = true;
  return m;
}

function javaEdits(file: string, text: string, findings: Finding[]): FileEdits | undefined {
  const lines = text.split('\n');
  const edits: LineEdit[] = [];
  const resolves: Finding[] = [];
  for (const f of findings) {
    if (f.concern !== 'local-storage' && f.concern !== 'file-upload') continue;
    const i = f.line - 1;
    const line = lines[i];
    if (line === undefined || edits.some((e) => e.start === i)) continue;
    // Part.write(path) as a statement: the part's bytes go to the store under the path's key instead.
    const part = /^(\s*)(\w+)\.write\((.+)\);\s*$/.exec(line);
    if (part && f.captures?.type === 'javax.servlet.http.Part') {
      const a = singleArgument(line, line.indexOf('(', part[1]!.length + part[2]!.length));
      if (a && a.arg === part[3]!.trim()) {
        edits.push({ start: i, remove: 1, insert: [`${part[1]}io.paasport.platform.BlobStores.shared().put(io.paasport.platform.BlobStore.keyOf(${a.arg}), ${part[2]}.getInputStream(), ${part[2]}.getContentType());`] });
        resolves.push(f);
        continue;
      }
    }
    // Writer w = new FileWriter(x): same Writer, on a blob stream, in the charset FileWriter would have used.
    const fw = /(\b(?:java\.io\.)?Writer\s+\w+\s*=\s*|\bnew\s+(?:BufferedWriter|PrintWriter)\s*\(\s*)new\s+(?:java\.io\.)?FileWriter\s*\(/.exec(line);
    if (fw) {
      const newAt = fw.index + fw[1]!.length;
      const a = singleArgument(line, line.indexOf('(', newAt));
      if (a) {
        edits.push({ start: i, remove: 1, insert: [`${line.slice(0, newAt)}new java.io.OutputStreamWriter(io.paasport.platform.BlobStores.outputStream(${a.arg}), java.nio.charset.Charset.defaultCharset())${line.slice(a.end + 1)}`] });
        resolves.push(f);
        continue;
      }
    }
    const m: (RegExpExecArray & { retype?: boolean }) | null = OUTPUT_STREAM_CONTEXT.exec(line) ?? declaredFileOutputStream(line, text);
    if (!m) continue;
    const newAt = m.index + m[1]!.length;
    const open = line.indexOf('(', newAt);
    const a = singleArgument(line, open);
    if (!a) continue;
    const head = m.retype ? line.slice(0, newAt).replace(/\b(?:java\.io\.)?FileOutputStream(\s+\w+\s*=\s*)$/, 'java.io.OutputStream$1') : line.slice(0, newAt);
    edits.push({ start: i, remove: 1, insert: [`${head}io.paasport.platform.BlobStores.outputStream(${a.arg})${line.slice(a.end + 1)}`] });
    resolves.push(f);
  }
  return edits.length > 0 ? { edits, resolves } : undefined;
}

export interface PatchPlan {
  /** findings the rewiring patch resolves */
  resolves: Finding[];
}

export function generatePatches(ctx: Context, out: Output): PatchPlan {
  const byFile = new Map<string, Finding[]>();
  for (const f of ctx.findings) byFile.set(f.file, [...(byFile.get(f.file) ?? []), f]);
  const diffs: string[] = [];
  const resolves: Finding[] = [];
  const needs = { node: false, java: new Set<string>() };
  for (const [file, findings] of [...byFile].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const text = ctx.sources[file];
    if (text === undefined) continue;
    const fe = isJs(file) ? nodeEdits(ctx, file, text, findings) : file.endsWith('.java') ? javaEdits(file, text, findings) : undefined;
    if (!fe) continue;
    diffs.push(unifiedDiff(file, text, fe.edits));
    resolves.push(...fe.resolves);
    if (isJs(file)) needs.node = true;
    else needs.java.add(/^(.*?)src\/main\/java\//.exec(file)?.[1] ?? '');
  }
  if (ctx.findings.some((f) => f.concern === 'session-state') && ctx.runtime.language === 'java') {
    for (const file of ctx.files.filter((f) => /(^|\/)WEB-INF\/web\.xml$/.test(f)).sort()) {
      const text = ctx.sources[file];
      const next = text === undefined ? undefined : addDistributable(text);
      if (text === undefined || next === undefined) continue;
      const before = text.split('\n');
      const after = next.split('\n');
      let k = 0;
      while (k < before.length && before[k] === after[k]) k++;
      diffs.push(unifiedDiff(file, text, [{ start: k, remove: 0, insert: [after[k]!] }]));
      resolves.push(...(byFile.get(file) ?? []).filter((f) => f.concern === 'session-state' && /distributable/i.test(`${f.ruleId} ${f.message}`)));
    }
  }
  if (diffs.length === 0) {
    out.note('platform', 'No call site matched a safe automatic rewrite; no patches were written.');
    return { resolves };
  }
  // The adapters the rewired code calls, added to the app's own tree.
  const adds: string[] = [];
  const exists = new Set(ctx.files);
  const addFile = (target: string, contents: string) => {
    if (exists.has(target)) {
      out.note('platform', `patches: ${target} already exists in the app; the adapter was not added there.`);
      return;
    }
    adds.push(newFileDiff(target, contents));
  };
  if (needs.node) for (const f of out.files.filter((g) => g.path.startsWith(`${NODE_DIR}/`))) addFile(`paasport/${f.path.slice(NODE_DIR.length + 1)}`, f.contents);
  const javaModule = [...needs.java].sort()[0];
  if (javaModule !== undefined) for (const f of out.files.filter((g) => g.path.startsWith(`${JAVA_DIR}/`))) addFile(`${javaModule}src/main/java/io/paasport/platform/${f.path.slice(JAVA_DIR.length + 1)}`, f.contents);
  if (adds.length > 0) out.add('patches/0001-add-paasport-adapters.patch', adds.join(''), ['platform']);
  out.add('patches/0002-rewire-call-sites.patch', diffs.join(''), [...new Set(resolves.map((f) => f.concern))]);
  return { resolves };
}
