/**
 * `paasport generate`: scan (or read a JSON report), run the pure generators, and write their files
 * into --out, and nowhere else. Every write is checked: relative paths only, no symlinked folder on
 * the way, no file replaced that paasport did not write (or that was edited since) unless --force.
 * A manifest of what was written, with hashes, makes those checks possible on the next run.
 */
import type { Command } from 'commander';
import { createHash } from 'node:crypto';
import { existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, realpathSync, rmdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { GeneratedFile, GenerateOptions, Runtime, ShimBundle } from '../../adapters/index.js';
import { envSyntaxOf, mayReadEnv } from '../../adapters/env-reads.js';
import { isSafeRelativePath } from '../../adapters/output.js';
import { formatRuleLoadError, type ScanResult } from '../../core/index.js';
import { loadCatalog } from '../catalog.js';
import { PACKAGE_ROOT, VERSION } from '../paths.js';
import { runScan, UsageError } from '../scan.js';
import { discover, readSource } from '../workspace.js';

export const MANIFEST = '.paasport-manifest.json';

interface Manifest {
  generator: 'paasport';
  files: Record<string, string>;
}

const sha256 = (s: string) => createHash('sha256').update(s, 'utf8').digest('hex');

function parseUnit(v: string): { cpu: string; memory: string } {
  const m = /^\s*(\d+(?:\.\d+)?m?)\s*,\s*(\d+(?:\.\d+)?(?:Ki|Mi|Gi|K|M|G)?)\s*$/.exec(v);
  if (!m) throw new UsageError(`--unit: expected <cpu>,<memory> like 500m,512Mi, got "${v}"`);
  return { cpu: m[1]!, memory: m[2]! };
}

function parseUnits(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1 || n > 1000) throw new UsageError(`--units: expected a whole number of replicas (1-1000), got "${v}"`);
  return n;
}

function parseRuntime(v: string | undefined): Runtime | undefined {
  if (v === undefined) return undefined;
  if (v === 'node') return { language: 'node' };
  if (v === 'tomcat' || v === 'wildfly' || v === 'liberty' || v === 'jar') return { language: 'java', container: v };
  throw new UsageError(`--runtime: expected node, tomcat, wildfly, liberty or jar, got "${v}"`);
}

function readReport(file: string): ScanResult {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new UsageError(`--from ${file}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : `not a JSON report (${(e as Error).message})`}`);
  }
  const r = parsed as Partial<ScanResult>;
  if (!r || r.schemaVersion !== 1 || !Array.isArray(r.findings) || !r.summary || !Array.isArray(r.rules)) throw new UsageError(`--from ${file}: not a paasport JSON report (schemaVersion 1)`);
  return r as ScanResult;
}

/**
 * The compiled runtime shim, as the image will carry it: main.js and the modules it imports, read
 * from paasport's own dist/ (the shim is built with the CLI, so they are always the same version).
 */
export function loadShimBundle(dir = path.join(PACKAGE_ROOT, 'dist', 'runtime-shim')): ShimBundle {
  const files: Record<string, string> = {};
  const queue = ['main.js'];
  while (queue.length > 0) {
    const name = queue.shift()!;
    if (name in files) continue;
    let text: string;
    try {
      text = readFileSync(path.join(dir, name), 'utf8');
    } catch {
      throw new UsageError(`runtime shim not found at ${path.join(dir, name)}; run \`npm run build\` in the paasport folder`);
    }
    files[name] = text;
    // Static relative imports only: the shim is an island of flat modules on node: built-ins.
    for (const m of text.matchAll(/^\s*(?:import|export)\b[^'"]*?\bfrom\s+['"]\.\/([\w-]+\.js)['"]/gm)) queue.push(m[1]!);
  }
  return { version: VERSION, files };
}

function loadManifest(out: string): Manifest | undefined {
  const file = path.join(out, MANIFEST);
  if (!existsSync(file)) return undefined;
  try {
    const m = JSON.parse(readFileSync(file, 'utf8')) as Manifest;
    if (m.generator === 'paasport' && m.files && typeof m.files === 'object') return m;
  } catch {
    // an unreadable manifest protects nothing; every existing file then counts as not ours
  }
  return undefined;
}

/** Refuses a target whose folder chain inside `out` contains a symlink (it could lead anywhere). */
function checkNoSymlink(outReal: string, rel: string): void {
  let cur = outReal;
  for (const seg of rel.split('/')) {
    cur = path.join(cur, seg);
    let st;
    try {
      st = lstatSync(cur);
    } catch {
      return;
    }
    if (st.isSymbolicLink()) throw new UsageError(`refusing to write ${rel}: ${path.relative(outReal, cur)} is a symbolic link`);
  }
}

export interface WriteReport {
  written: number;
  unchanged: number;
  removed: number;
}

/** Writes the files into out (all or nothing on conflicts). Exported for tests. */
export function writeGenerated(out: string, files: GeneratedFile[], force: boolean): WriteReport {
  for (const f of files) if (!isSafeRelativePath(f.path) || f.path === MANIFEST) throw new UsageError(`refusing unsafe output path: ${f.path}`);
  if (existsSync(out) && !statSync(out).isDirectory()) throw new UsageError(`--out ${out}: not a folder`);
  mkdirSync(out, { recursive: true });
  const outReal = realpathSync(out);
  const manifest = loadManifest(outReal);
  const conflicts: string[] = [];
  for (const f of files) {
    checkNoSymlink(outReal, f.path);
    const abs = path.join(outReal, f.path);
    if (!existsSync(abs)) continue;
    if (!lstatSync(abs).isFile()) throw new UsageError(`refusing to write ${f.path}: not a regular file`);
    const current = sha256(readFileSync(abs, 'utf8'));
    const ours = manifest?.files[f.path];
    if (current === sha256(f.contents)) continue;
    if (ours !== current && !force) conflicts.push(`${f.path} (${ours ? 'edited since paasport wrote it' : 'not written by paasport'})`);
  }
  if (conflicts.length > 0) throw new UsageError(`would overwrite ${conflicts.length} file(s) in ${out}: ${conflicts.slice(0, 5).join(', ')}${conflicts.length > 5 ? ', …' : ''}; use --force to overwrite`);
  const report: WriteReport = { written: 0, unchanged: 0, removed: 0 };
  const next: Manifest = { generator: 'paasport', files: {} };
  for (const f of files) {
    const abs = path.join(outReal, f.path);
    next.files[f.path] = sha256(f.contents);
    if (existsSync(abs) && readFileSync(abs, 'utf8') === f.contents) {
      report.unchanged++;
      continue;
    }
    mkdirSync(path.dirname(abs), { recursive: true });
    writeFileSync(abs, f.contents);
    report.written++;
  }
  // Files of an earlier run that are no longer generated go, unless someone edited them.
  for (const [rel, hash] of Object.entries(manifest?.files ?? {})) {
    if (rel in next.files || !isSafeRelativePath(rel)) continue;
    const abs = path.join(outReal, rel);
    try {
      checkNoSymlink(outReal, rel);
      if (lstatSync(abs).isFile() && sha256(readFileSync(abs, 'utf8')) === hash) {
        rmSync(abs);
        report.removed++;
        // folders the stale file leaves empty go too, up to --out itself
        for (let dir = path.dirname(abs); dir !== outReal && dir.startsWith(outReal + path.sep); dir = path.dirname(dir)) {
          if (readdirSync(dir).length > 0) break;
          rmdirSync(dir);
        }
      }
    } catch {
      // already gone
    }
  }
  const sorted = Object.fromEntries(Object.entries(next.files).sort(([a], [b]) => (a < b ? -1 : 1)));
  writeFileSync(path.join(outReal, MANIFEST), `${JSON.stringify({ generator: 'paasport', files: sorted }, null, 2)}\n`);
  return report;
}

interface GenerateCliOptions {
  out: string;
  from?: string;
  name?: string;
  unit: string;
  units: string;
  image?: string;
  host?: string;
  appPort?: string;
  runtime?: string;
  patch: boolean;
  force: boolean;
  rules: string[];
  exclude: string[];
  includeTests: boolean;
  builtinRules: boolean;
}

export async function runGenerate(target: string | undefined, opts: GenerateCliOptions): Promise<WriteReport & { files: number }> {
  const unit = parseUnit(opts.unit);
  const units = parseUnits(opts.units);
  const runtime = parseRuntime(opts.runtime);
  const appPort = opts.appPort === undefined ? undefined : Number(opts.appPort);
  if (appPort !== undefined && (!Number.isInteger(appPort) || appPort < 1 || appPort > 65535)) throw new UsageError(`--app-port: expected a port number, got "${opts.appPort}"`);
  if (!target && !opts.from) throw new UsageError('give the folder to scan, or --from report.json');
  const outAbs = path.resolve(opts.out);
  const shim = loadShimBundle();

  let result: ScanResult;
  let root: string | undefined = target;
  if (opts.from) {
    result = readReport(opts.from);
    if (!root && result.root && existsSync(result.root) && statSync(result.root).isDirectory()) root = result.root;
  } else {
    const { rules, problems } = loadCatalog({ extra: opts.rules, builtin: opts.builtinRules });
    for (const p of problems) process.stderr.write(`paasport: rule file problem: ${formatRuleLoadError(p)}\n`);
    // The output folder inside the scanned tree must not be scanned: a second run would see the first's files.
    const rel = path.relative(path.resolve(target!), outAbs).split(path.sep).join('/');
    const excludes = [...opts.exclude];
    if (rel && !rel.startsWith('..') && !path.isAbsolute(rel)) excludes.push(`${rel}/**`);
    result = await runScan(target!, { rules, ruleProblems: problems, excludes, includeTests: opts.includeTests });
  }
  if (root && !existsSync(root)) throw new UsageError(`path not found: ${root}`);

  let files: string[] = [...new Set(result.findings.map((f) => f.file))];
  const sources: Record<string, string> = {};
  if (root) {
    const rootAbs = path.resolve(root);
    const rel = path.relative(rootAbs, outAbs).split(path.sep).join('/');
    const excludes = [...opts.exclude];
    if (rel && !rel.startsWith('..') && !path.isAbsolute(rel)) excludes.push(`${rel}/**`);
    files = discover(rootAbs, { excludes, includeTests: opts.includeTests, wants: () => true }).files;
    // The generators read the files with findings (overlays, patches), the web.xml descriptors, and
    // the files that read the environment (the variables the app already takes from it).
    const wanted = new Set([...result.findings.map((f) => f.file), ...files.filter((f) => /(^|\/)WEB-INF\/web\.xml$/.test(f))]);
    for (const f of files) {
      if (wanted.has(f) || !envSyntaxOf(f)) continue;
      const r = readSource(rootAbs, f);
      if (r.kind === 'text' && mayReadEnv(f, r.text)) sources[f] = r.text;
    }
    for (const f of [...wanted].sort()) {
      const r = readSource(rootAbs, f);
      if (r.kind === 'text') sources[f] = r.text;
    }
  }
  const name = opts.name ?? path.basename(path.resolve(root ?? result.root ?? 'app'));
  const options: GenerateOptions = { name: name.toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/^-+|-+$/g, '') || 'app', unit, units, patch: opts.patch, files, sources, shim };
  if (root) {
    const inside = path.relative(path.resolve(root), outAbs).split(path.sep).join('/');
    if (inside && !inside.startsWith('..') && !path.isAbsolute(inside)) options.outInContext = inside;
  }
  if (opts.image) options.image = opts.image;
  if (opts.host) options.host = opts.host;
  if (appPort !== undefined) options.appPort = appPort;
  if (runtime) options.runtime = runtime;
  // The generators are loaded for `generate` only: every other command (scan above all) starts without them.
  const { generate } = await import('../../adapters/index.js');
  const generated = generate(result, options);
  const report = writeGenerated(opts.out, generated, opts.force);
  return { ...report, files: generated.length };
}

const collect = (value: string, previous: string[]): string[] => [...previous, value];

export function registerGenerate(program: Command): void {
  program
    .command('generate')
    .description('write the migration plan, config overlays, adapters, platform manifests (and patches) for an app')
    .argument('[path]', 'folder of the application (scanned first, unless --from is given)')
    .option('-o, --out <dir>', 'output folder (nothing is written outside it)', 'paasport-out')
    .option('--from <report.json>', 'use this JSON scan report instead of scanning (give [path] too to overlay and patch files)')
    .option('--name <name>', 'app name for the namespace, labels and resources (default: the folder name)')
    .option('--unit <cpu,memory>', 'resources of one replica, e.g. 500m,512Mi', '500m,512Mi')
    .option('--units <n>', 'number of replicas', '2')
    .option('--image <ref>', 'container image for the manifests (default <name>:latest)')
    .option('--host <host>', 'Ingress host name (default <name>.example.com)')
    .option('--app-port <port>', 'the port the app listens on (default: 3000 Node, 9080 Liberty, 8080 other Java)')
    .option('--runtime <kind>', 'node | tomcat | wildfly | liberty | jar (default: detected from the files)')
    .option('--patch', 'also write unified diffs that rewire call sites to the adapters (git apply)', false)
    .option('--force', 'overwrite files in --out that paasport did not write (or that were edited)', false)
    .option('-r, --rules <file|dir>', 'extra rule file or folder (repeatable)', collect, [] as string[])
    .option('-x, --exclude <glob>', 'exclude files matching a glob, relative to <path> (repeatable)', collect, [] as string[])
    .option('--include-tests', 'also scan test code', false)
    .option('--no-builtin-rules', 'run only the rules given with --rules')
    .addHelpText(
      'after',
      `
Examples:
  $ paasport generate ./legacy-app --out ./legacy-app/paasport-out
  $ paasport generate --from report.json ./legacy-app --patch --unit 1,1Gi --units 3
  $ cd legacy-app && git apply paasport-out/patches/*.patch`,
    )
    .action(async (target: string | undefined, opts: GenerateCliOptions) => {
      const r = await runGenerate(target, opts);
      process.stdout.write(`paasport: ${r.files} files in ${opts.out} (${r.written} written, ${r.unchanged} unchanged${r.removed ? `, ${r.removed} stale removed` : ''}); start with ${path.join(opts.out, 'MIGRATION.md')}\n`);
    });
}
