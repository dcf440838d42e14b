#!/usr/bin/env node
/**
 * `npm run bench`: paasport against ast-grep and grep on real code, printed as a Markdown table
 * (docs/performance.md holds the figures measured with it). Not a test: nothing here fails a build.
 *
 * Corpora (prepared on first run into bench/corpus/, git-ignored):
 *   java.base  JDK 17's java.base sources, from Debian's openjdk-17-source (src.zip)
 *   typeorm    the typeorm npm package as published (compiled JS + .d.ts), via `npm pack`
 * Per corpus: paasport cold (--no-cache), paasport warm (cache filled), ast-grep scan with three
 * rules (bench/rules/), grep -rE with the same tokens; wall time = median of BENCH_RUNS (default 3),
 * peak RSS from /usr/bin/time; then paasport cold on 25/50/100 % of the files (scaling).
 *
 * Environment: BENCH_RUNS=n, BENCH_CORPUS=java.base|typeorm (one only), BENCH_JOBS=n (paasport --jobs),
 * BENCH_JSON=file (also write the raw figures).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, existsSync, linkSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(HERE, '..');
const CORPUS = path.join(HERE, 'corpus');
const SRC_ZIP = '/usr/lib/jvm/java-17-openjdk-amd64/lib/src.zip';
const JS_PACKAGE = 'typeorm@0.3.27';
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
let BIN = path.join(ROOT, 'bin', 'paasport.js');
const AST_GREP = path.join(ROOT, 'node_modules', '.bin', 'ast-grep');
const TIME = existsSync('/usr/bin/time') ? '/usr/bin/time' : undefined;

const CORPORA = [
  {
    name: 'java.base',
    dir: path.join(CORPUS, 'java.base'),
    ext: '.java',
    astGrepRules: path.join(HERE, 'rules', 'java.yml'),
    grepInclude: '*.java',
    // the tokens of the three ast-grep rules: file streams/writers, JNDI, IP-like string literals
    grepPattern: 'new (FileOutputStream|FileWriter|InitialContext)\\(|"[0-9]{1,3}\\.[0-9]{1,3}\\.[0-9]{1,3}\\.[0-9]{1,3}"',
    prepare: prepareJavaBase,
  },
  {
    name: 'typeorm',
    dir: path.join(CORPUS, 'typeorm'),
    ext: '.js',
    astGrepRules: path.join(HERE, 'rules', 'js.yml'),
    grepInclude: '*.js',
    grepPattern: '(createWriteStream|writeFileSync|appendFileSync)\\(|child_process|["\'][0-9]{1,3}\\.[0-9]{1,3}\\.[0-9]{1,3}\\.[0-9]{1,3}["\']',
    prepare: prepareJsPackage,
  },
];

function log(msg) {
  process.stderr.write(`bench: ${msg}\n`);
}

function prepareJavaBase(dir) {
  if (existsSync(dir)) return true;
  if (!existsSync(SRC_ZIP)) {
    log(`skipping java.base: ${SRC_ZIP} not found (apt-get install openjdk-17-source)`);
    return false;
  }
  mkdirSync(CORPUS, { recursive: true });
  log('unzipping java.base from src.zip');
  execFileSync('unzip', ['-q', '-o', SRC_ZIP, 'java.base/*', '-d', CORPUS], { stdio: 'inherit' });
  return true;
}

function prepareJsPackage(dir) {
  if (existsSync(dir)) return true;
  mkdirSync(dir, { recursive: true });
  log(`npm pack ${JS_PACKAGE}`);
  const tgz = execFileSync('npm', ['pack', JS_PACKAGE, '--silent', '--pack-destination', CORPUS], { encoding: 'utf8' }).trim().split('\n').pop();
  execFileSync('tar', ['-xzf', path.join(CORPUS, tgz), '-C', dir, '--strip-components=1']);
  rmSync(path.join(CORPUS, tgz), { force: true });
  return true;
}

function listFiles(dir) {
  return readdirSync(dir, { recursive: true })
    .filter((f) => statSync(path.join(dir, f)).isFile())
    .sort();
}

/** Hard-linked subset with every k-th file (spread over the whole tree, not one package). */
function subset(corpus, percent) {
  if (percent === 100) return corpus.dir;
  const dir = `${corpus.dir}-${percent}`;
  if (existsSync(dir)) return dir;
  const files = listFiles(corpus.dir);
  const keep = files.filter((_, i) => (i * percent) % 100 < percent);
  for (const f of keep) {
    const to = path.join(dir, f);
    mkdirSync(path.dirname(to), { recursive: true });
    linkSync(path.join(corpus.dir, f), to);
  }
  return dir;
}

function bytesOf(dir, ext) {
  let bytes = 0;
  let files = 0;
  let lines = 0;
  for (const f of listFiles(dir)) {
    if (!f.endsWith(ext)) continue;
    const text = readFileSync(path.join(dir, f), 'latin1');
    bytes += text.length;
    files += 1;
    for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) lines += 1;
  }
  return { bytes, files, lines };
}

/** One timed run: wall seconds and peak RSS (MB, from /usr/bin/time -f %M). */
function measure(cmd, args) {
  const full = TIME ? [TIME, ['-f', 'BENCH_RSS_KB=%M BENCH_CPU=%U+%S', cmd, ...args]] : [cmd, args];
  const t0 = process.hrtime.bigint();
  const r = spawnSync(full[0], full[1], { cwd: ROOT, encoding: 'utf8', maxBuffer: 1024 * 1024 * 1024, env: { ...process.env, CI: 'true' } });
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  const m = /BENCH_RSS_KB=(\d+)/.exec(r.stderr ?? '');
  // CPU seconds survive a busy machine better than wall time: compare those when load is high.
  const c = /BENCH_CPU=([\d.]+)\+([\d.]+)/.exec(r.stderr ?? '');
  if (r.status !== 0 && r.status !== 1) throw new Error(`${cmd} ${args.join(' ')} exited ${r.status}: ${(r.stderr ?? '').slice(-2000)}`);
  return { seconds, cpu: c ? Number(c[1]) + Number(c[2]) : NaN, rssMb: m ? Number(m[1]) / 1024 : NaN, stdout: r.stdout };
}

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

function repeat(label, cmd, args, runs = RUNS) {
  const all = [];
  for (let i = 0; i < runs; i++) all.push(measure(cmd, args));
  const res = { label, seconds: median(all.map((r) => r.seconds)), cpu: median(all.map((r) => r.cpu)), rssMb: Math.max(...all.map((r) => r.rssMb)), runs: all.map((r) => r.seconds), stdout: all[0].stdout };
  log(`${label}: ${res.seconds.toFixed(2)} s (${res.runs.map((s) => s.toFixed(2)).join(', ')}), CPU ${res.cpu.toFixed(2)} s, ${res.rssMb.toFixed(0)} MB`);
  return res;
}

const jobsArgs = process.env.BENCH_JOBS ? ['--jobs', process.env.BENCH_JOBS] : [];
const out = (name) => path.join(os.tmpdir(), `paasport-bench-${name}.json`);

function paasportCold(dir, name) {
  return ['scan', dir, '--no-cache', '--quiet', '--format', 'json', '--output', out(name), '--stats', ...jobsArgs];
}

function benchCorpus(corpus) {
  if (!corpus.prepare(corpus.dir)) return undefined;
  const size = bytesOf(corpus.dir, corpus.ext);
  log(`${corpus.name}: ${size.files} ${corpus.ext} files, ${size.lines} lines, ${(size.bytes / 1e6).toFixed(1)} MB`);
  // Cheapest first, so a slow machine still prints the comparison figures early (stderr).
  const grep = repeat(`${corpus.name} grep`, 'grep', ['-rEn', `--include=${corpus.grepInclude}`, corpus.grepPattern, corpus.dir]);
  const grepHits = grep.stdout.split('\n').filter(Boolean).length;
  const astGrep = existsSync(AST_GREP) ? repeat(`${corpus.name} ast-grep`, AST_GREP, ['scan', '--rule', corpus.astGrepRules, '--json=compact', corpus.dir]) : undefined;
  const astGrepHits = astGrep ? JSON.parse(astGrep.stdout).length : undefined;
  const cacheDir = path.join(os.tmpdir(), `paasport-bench-cache-${corpus.name}`);
  rmSync(cacheDir, { recursive: true, force: true });
  const warmArgs = [BIN, 'scan', corpus.dir, '--cache-dir', cacheDir, '--quiet', '--format', 'json', '--output', out(`${corpus.name}-warm`), ...jobsArgs];
  const fill = repeat(`${corpus.name} paasport cold, writing the cache`, process.execPath, warmArgs, 1);
  const warm = repeat(`${corpus.name} paasport warm`, process.execPath, warmArgs);
  const cold = repeat(`${corpus.name} paasport cold`, process.execPath, [BIN, ...paasportCold(corpus.dir, corpus.name)]);
  const report = JSON.parse(readFileSync(out(corpus.name), 'utf8'));
  const scaling = [25, 50, 100].map((p) => {
    const dir = subset(corpus, p);
    const s = p === 100 ? cold : repeat(`${corpus.name} paasport cold ${p}%`, process.execPath, [BIN, ...paasportCold(dir, `${corpus.name}-${p}`)]);
    return { percent: p, ...bytesOf(dir, corpus.ext), seconds: s.seconds, rssMb: s.rssMb };
  });
  return { corpus: corpus.name, size, rules: report.rules.length, findings: report.summary.findings, errors: report.errors.length, cold, fill, warm, astGrep, astGrepHits, grep, grepHits, scaling };
}

function fmt(n, digits = 2) {
  return Number.isFinite(n) ? n.toFixed(digits) : '–';
}

function machine() {
  const cpu = (readFileSync('/proc/cpuinfo', 'utf8').match(/model name\s*:\s*(.*)/) ?? [])[1] ?? os.cpus()[0]?.model ?? 'unknown';
  return `${os.availableParallelism?.() ?? os.cpus().length} CPUs (nproc), ${cpu.trim()}, ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB RAM, Node ${process.version}, ${os.platform()} ${os.release()}, load average at the end ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}`;
}

/**
 * Runs a frozen copy of the build: a rebuild or a rule edit during a long benchmark would change the
 * cache key (correctly) and turn the warm runs cold.
 */
function snapshot() {
  const dir = path.join(os.tmpdir(), `paasport-bench-snapshot-${process.pid}`);
  for (const item of ['dist', 'rules', 'bin', 'package.json', path.join('reports', 'html', 'templates')]) {
    if (existsSync(path.join(ROOT, item))) cpSync(path.join(ROOT, item), path.join(dir, item), { recursive: true });
  }
  symlinkSync(path.join(ROOT, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
  process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
  return path.join(dir, 'bin', 'paasport.js');
}

function main() {
  if (!existsSync(path.join(ROOT, 'dist', 'cli', 'main.js'))) {
    log('building (npm run build)');
    execFileSync('npm', ['run', 'build', '--silent'], { cwd: ROOT, stdio: 'inherit' });
  }
  BIN = snapshot();
  const only = process.env.BENCH_CORPUS;
  const results = CORPORA.filter((c) => !only || c.name === only).map(benchCorpus).filter(Boolean);
  const lines = [];
  lines.push(`Machine: ${machine()}; median of ${RUNS} runs.`);
  lines.push('');
  lines.push('| corpus | files | lines | paasport cold (s) | paasport warm (s) | ast-grep (s) | grep (s) | cold/ast-grep | cold/grep | CPU s: cold / ast-grep | peak RSS paasport (MB) | peak RSS ast-grep (MB) | rules | findings | ast-grep hits | grep hits |');
  lines.push('|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
  for (const r of results) {
    lines.push(
      `| ${r.corpus} | ${r.size.files} | ${r.size.lines} | ${fmt(r.cold.seconds)} | ${fmt(r.warm.seconds)} | ${fmt(r.astGrep?.seconds)} | ${fmt(r.grep.seconds)} | ${fmt(r.astGrep ? r.cold.seconds / r.astGrep.seconds : NaN)}× | ${fmt(r.cold.seconds / r.grep.seconds, 0)}× | ${fmt(r.cold.cpu, 1)} / ${fmt(r.astGrep?.cpu, 1)} | ${fmt(Math.max(r.cold.rssMb, r.warm.rssMb), 0)} | ${fmt(r.astGrep?.rssMb, 0)} | ${r.rules} | ${r.findings} | ${r.astGrepHits ?? '–'} | ${r.grepHits} |`,
    );
  }
  lines.push('');
  lines.push('Scaling (paasport cold):');
  lines.push('');
  lines.push('| corpus | share | files | lines | seconds | µs per line | peak RSS (MB) |');
  lines.push('|---|---:|---:|---:|---:|---:|---:|');
  for (const r of results) {
    for (const s of r.scaling) lines.push(`| ${r.corpus} | ${s.percent} % | ${s.files} | ${s.lines} | ${fmt(s.seconds)} | ${fmt((s.seconds * 1e6) / s.lines, 1)} | ${fmt(s.rssMb, 0)} |`);
  }
  process.stdout.write(`${lines.join('\n')}\n`);
  if (process.env.BENCH_JSON) writeFileSync(process.env.BENCH_JSON, JSON.stringify({ machine: machine(), runs: RUNS, results: results.map(({ cold, fill, warm, astGrep, grep, ...r }) => ({ ...r, cold: strip(cold), fill: strip(fill), warm: strip(warm), astGrep: astGrep && strip(astGrep), grep: strip(grep) })) }, null, 2));
}

function strip({ stdout: _o, ...r }) {
  return r;
}

main();
