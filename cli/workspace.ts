/**
 * Turns a directory into the files to analyze. Everything that is passed over for a reason a user
 * would want to know (binary, too large, symlink out of the root or in a loop, unreadable) is
 * recorded in `skipped`, never silently dropped. Policy excludes (node_modules, build output, tests)
 * are not listed: they are what the user asked for.
 */
import fg from 'fast-glob';
import ignore, { type Ignore } from 'ignore';
import { execFileSync } from 'node:child_process';
import { lstatSync, readFileSync, realpathSync, statSync } from 'node:fs';
import path from 'node:path';
import picomatch from 'picomatch';
import type { Notice, SkippedFile } from '../core/index.js';

/** the manifest `paasport generate` writes into its output folder (cli/commands/generate.ts) */
export const GENERATED_MARKER = '.paasport-manifest.json';

export const DEFAULT_EXCLUDES = [
  '**/.git/**',
  '**/node_modules/**',
  '**/bower_components/**',
  '**/target/**',
  '**/build/**',
  '**/dist/**',
  '**/out/**',
  '**/vendor/**',
  '**/.paasport-cache/**',
  '**/*.min.js',
  '**/*.min.css',
  '**/*-min.js',
  '**/*.bundle.js',
];

// Test folders at any depth (a Node package's nested test/, Maven's src/it integration tests):
// test code never ships, so its temp files and localhost URLs are not platform blockers.
export const TEST_EXCLUDES = [
  '**/src/test/**',
  '**/src/it/**',
  '**/src/integration-test/**',
  '**/test/**',
  '**/tests/**',
  '**/spec/**',
  '**/__tests__/**',
  '**/__mocks__/**',
  '**/*.test.*',
  '**/*.spec.*',
];

export const DEFAULT_MAX_FILE_SIZE = 2 * 1024 * 1024;

export interface DiscoverOptions {
  excludes?: string[];
  includeTests?: boolean;
  maxFileSize?: number;
  /** only files some rule looks at are read */
  wants: (posixPath: string) => boolean;
}

export interface FileStat {
  size: number;
  mtimeMs: number;
  ctimeMs: number;
  ino: number;
}

export interface Discovered {
  /** POSIX paths relative to root, sorted */
  files: string[];
  skipped: SkippedFile[];
  /** each file's stat as discovery saw it, so the cache's stat index needs no second stat call */
  stats: Map<string, FileStat>;
}

function loadGitignores(root: string, files: string[]): Ignore {
  const ig = ignore();
  for (const rel of files.sort()) {
    const dir = path.posix.dirname(rel);
    let text: string;
    try {
      text = readFileSync(path.join(root, rel), 'utf8');
    } catch {
      continue;
    }
    for (const raw of text.split(/\r?\n/)) {
      const line = raw.trim();
      if (!line || line.startsWith('#')) continue;
      const negated = line.startsWith('!');
      let pattern = negated ? line.slice(1) : line;
      if (dir !== '.') {
        // Re-anchor a nested .gitignore's patterns to the scanned root.
        const anchored = pattern.startsWith('/') || pattern.slice(0, -1).includes('/');
        pattern = anchored ? `${dir}/${pattern.replace(/^\//, '')}` : `${dir}/**/${pattern}`;
      }
      ig.add(negated ? `!${pattern}` : pattern);
    }
  }
  return ig;
}

/**
 * Files git tracks under the root, or undefined outside a git work tree. A tracked file is
 * scanned even when a .gitignore lists it: git ignores only untracked files, and force-added
 * files such as a committed `.env.example` are exactly where credentials hide. fsmonitor is
 * switched off so that asking git never runs a command the scanned repository configured.
 */
function trackedFiles(absRoot: string): Set<string> | undefined {
  try {
    const out = execFileSync('git', ['-c', 'core.fsmonitor=false', '-C', absRoot, 'ls-files', '-z'], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
      timeout: 15_000,
      maxBuffer: 256 * 1024 * 1024,
    });
    return new Set(out.split('\0').filter(Boolean));
  } catch {
    return undefined;
  }
}

export function discover(root: string, options: DiscoverOptions): Discovered {
  const absRoot = realpathSync(root);
  const tracked = trackedFiles(absRoot);
  const ignoreGlobs = [...DEFAULT_EXCLUDES, ...(options.includeTests ? [] : TEST_EXCLUDES), ...(options.excludes ?? [])];
  // One walk serves three purposes: the files to scan, the .gitignore files that filter them, and
  // the minified/vendored browser files that are excluded by default but listed as skipped. So the
  // walk leaves out only what none of them needs; the default front-end excludes are applied below.
  // Symlinks are not followed during the walk: a link is an entry we judge ourselves below, so a
  // link out of the root or a link loop can never be traversed.
  const frontEndIgnore = ignoreGlobs.filter((g) => !FRONT_END_DEFAULTS.includes(g));
  const entries = fg.sync('**/*', {
    cwd: absRoot,
    dot: true,
    onlyFiles: false,
    followSymbolicLinks: false,
    ignore: frontEndIgnore,
    suppressErrors: true,
    objectMode: true,
  });
  const gitignore = loadGitignores(
    absRoot,
    entries.filter((e) => e.dirent.isFile() && path.posix.basename(e.path) === '.gitignore').map((e) => e.path),
  );
  const ig = { ignores: (rel: string) => gitignore.ignores(rel) && !tracked?.has(rel) };
  const frontEndDefault = picomatch(FRONT_END_DEFAULTS.filter((g) => ignoreGlobs.includes(g)), { dot: true });
  const frontEndFile = picomatch(FRONT_END_GLOBS, { dot: true });
  const files: string[] = [];
  const skipped: SkippedFile[] = [];
  const stats = new Map<string, FileStat>();
  const maxSize = options.maxFileSize ?? DEFAULT_MAX_FILE_SIZE;
  // A folder `paasport generate` wrote (it holds the generator's manifest) is paasport's own output:
  // its copied runtime shim uses timers, child processes and files by design, and its adapters are
  // the fix, not the problem. Scanning it would report paasport to itself.
  const generated = entries.filter((e) => e.dirent.isFile() && path.posix.basename(e.path) === GENERATED_MARKER).map((e) => path.posix.dirname(e.path));
  const inGenerated = (rel: string) => generated.some((d) => d === '.' || rel.startsWith(`${d}/`));
  for (const d of generated) skipped.push({ file: d === '.' ? '.' : `${d}/`, reason: `output of paasport generate (${GENERATED_MARKER}); not scanned` });
  const frontEnd: string[] = [];
  for (const entry of entries) {
    const rel = entry.path;
    if (entry.dirent.isDirectory()) continue;
    if (frontEndDefault(rel)) {
      if (entry.dirent.isFile() && frontEndFile(rel)) frontEnd.push(rel);
      continue;
    }
    if (ig.ignores(rel)) continue;
    if (generated.length > 0 && inGenerated(rel)) continue;
    const abs = path.join(absRoot, rel);
    if (entry.dirent.isSymbolicLink()) {
      if (!options.wants(rel) && !looksLikeDir(abs)) continue;
      let target: string;
      try {
        target = realpathSync(abs);
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        skipped.push({ file: rel, reason: code === 'ELOOP' ? 'symlink loop' : `broken symlink (${code ?? 'unresolvable'})` });
        continue;
      }
      if (target !== absRoot && !target.startsWith(absRoot + path.sep)) {
        skipped.push({ file: rel, reason: 'symlink points outside the scanned root; not followed' });
        continue;
      }
      const st = statSync(target);
      if (st.isDirectory()) {
        skipped.push({ file: rel, reason: 'symlinked directory; not followed (its target inside the root is scanned under its own path)' });
        continue;
      }
      skipped.push({ file: rel, reason: `symlink to ${path.relative(absRoot, target).split(path.sep).join('/')}, which is scanned under its own path` });
      continue;
    }
    if (!entry.dirent.isFile()) continue;
    if (!options.wants(rel)) continue;
    let size: number;
    try {
      const st = lstatSync(abs);
      size = st.size;
      stats.set(rel, { size: st.size, mtimeMs: st.mtimeMs, ctimeMs: st.ctimeMs, ino: st.ino });
    } catch (e) {
      skipped.push({ file: rel, reason: `unreadable: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}` });
      continue;
    }
    if (size === 0) {
      skipped.push({ file: rel, reason: 'empty file (nothing to analyze)' });
      continue;
    }
    if (size > maxSize) {
      skipped.push({ file: rel, reason: `too large: ${formatBytes(size)} is over the ${formatBytes(maxSize)} cap (--max-file-size)` });
      continue;
    }
    // Only the name here; the content test (banner, minified lines) runs in decode(), on bytes the
    // analysis reads anyway, so its verdict is cached with the file and a warm scan reads nothing.
    if (/\.(js|mjs|cjs)$/i.test(rel) && WEB_DIRS.test(rel) && KNOWN_LIBRARY.test(rel)) {
      skipped.push({ file: rel, reason: 'vendored front-end library (file name)' });
      continue;
    }
    files.push(rel);
  }
  // The default globs exclude minified bundles and vendor/ code silently; the front-end ones are
  // listed with the reason, so a user sees what was not analyzed and why.
  for (const rel of frontEnd) {
    if (ig.ignores(rel) || !options.wants(rel)) continue;
    const vendored = /(^|\/)vendor\//.test(rel);
    // a vendor/ folder outside the web folders (PHP, Go, Ruby dependencies) stays a silent policy exclude
    if (vendored && !WEB_DIRS.test(rel)) continue;
    skipped.push({ file: rel, reason: vendored ? 'vendored front-end library (vendor/ directory)' : 'minified bundle (file name)' });
  }
  files.sort();
  return { files, skipped, stats };
}

const FRONT_END_DEFAULTS = ['**/*.min.js', '**/*-min.js', '**/*.bundle.js', '**/vendor/**'];
const FRONT_END_GLOBS = ['**/*.min.js', '**/*-min.js', '**/*.bundle.js', '**/vendor/**/*.{js,mjs,cjs}'];
const WEB_DIRS = /(^|\/)(public|static|assets|www|webroot|wwwroot|js|javascripts)\//;
// distinctive library names count with or without a version; generic words (react, chart, require…) need one
const KNOWN_LIBRARY = /(^|\/)((jquery|jquery-ui|jquery\.[\w.-]+|bootstrap|angular|backbone|underscore|lodash|modernizr|knockout|handlebars|ember|zepto|mootools|socket\.io|highcharts|popper|select2|datatables)([-.]v?\d+(\.\d+)*)?|(react|react-dom|vue|d3|moment|require|prototype|chart|three)[-.]v?\d+(\.\d+)*)(\.(slim|custom|full|all))?\.js$/i;
const HEAD_BYTES = 64 * 1024;

/**
 * Browser code that is generated or third-party: a minified bundle (very long lines) or a vendored
 * library (a known library's file name in a web folder, or a `/*!` banner with a version and a
 * licence). Its findings would be noise about code nobody on the team wrote.
 */
function frontEndReason(rel: string, bytes: Uint8Array): string | undefined {
  if (!/\.(js|mjs|cjs)$/i.test(rel)) return undefined;
  const head = Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(bytes.length, HEAD_BYTES)).toString('latin1');
  const banner = head.slice(0, 1024);
  if (/^\s*\/\*!/.test(banner) && /\bv?\d+\.\d+(\.\d+)?\b/.test(banner) && /licen[cs]e/i.test(banner)) return 'vendored front-end library (license banner)';
  const lines = head.split('\n');
  const longest = lines.reduce((m, l) => Math.max(m, l.length), 0);
  if (longest > 2000 && head.length / lines.length > 300) return `minified bundle (lines up to ${longest >= HEAD_BYTES ? `${HEAD_BYTES / 1024} KB+` : `${longest} characters`})`;
  return undefined;
}

function looksLikeDir(abs: string): boolean {
  try {
    return statSync(abs).isDirectory();
  } catch {
    return true; // unresolvable: report it
  }
}

function formatBytes(n: number): string {
  return n >= 1024 * 1024 ? `${(n / 1024 / 1024).toFixed(1)} MB` : `${Math.round(n / 1024)} KB`;
}

export type ReadOutcome =
  | { kind: 'text'; text: string; notice?: Notice }
  | { kind: 'skipped'; reason: string };

const utf8 = new TextDecoder('utf-8', { fatal: true });
// Node's TextDecoder treats 'windows-1252' as ISO-8859-1, which turns 0x80–0x9F (€, smart quotes,
// dashes — common in legacy property files) into control characters; map that range ourselves.
const CP1252_HIGH = '€\u0081‚ƒ„…†‡ˆ‰Š‹Œ\u008DŽ\u008F\u0090‘’“”•–—˜™š›œ\u009DžŸ';
function decodeCp1252(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; i += 8192) {
    const chunk = bytes.subarray(i, i + 8192);
    out += String.fromCharCode(...chunk).replace(/[\u0080-\u009f]/g, (c) => CP1252_HIGH[c.charCodeAt(0) - 0x80] ?? c);
  }
  return out;
}

/** Decodes a file: UTF-8 (BOM stripped), else Windows-1252 as legacy sources often are; binary is skipped. */
export function decode(file: string, bytes: Uint8Array): ReadOutcome {
  const frontEnd = frontEndReason(file, bytes);
  if (frontEnd) return { kind: 'skipped', reason: frontEnd };
  const probe = bytes.subarray(0, 8192);
  if (probe.includes(0)) {
    // UTF-16 files carry NULs too; they are text, and rare enough in legacy apps to name precisely.
    if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) {
      const enc = bytes[0] === 0xff ? 'utf-16le' : 'utf-16be';
      return { kind: 'text', text: new TextDecoder(enc).decode(bytes), notice: { file, message: `decoded as ${enc.toUpperCase()} (byte-order mark)` } };
    }
    return { kind: 'skipped', reason: 'binary file (contains NUL bytes)' };
  }
  try {
    return { kind: 'text', text: utf8.decode(bytes).replace(/^\uFEFF/, '') };
  } catch {
    return { kind: 'text', text: decodeCp1252(bytes), notice: { file, message: 'not valid UTF-8; decoded as Windows-1252' } };
  }
}

export function readSource(root: string, rel: string): ReadOutcome {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path.join(root, rel));
  } catch (e) {
    return { kind: 'skipped', reason: `unreadable: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}` };
  }
  return decode(rel, bytes);
}
