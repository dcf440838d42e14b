/**
 * Equivalence tests for everything that changes how a scan runs but must never change what it
 * finds: the token prefilter, the worker pool, the incremental cache and sharding + merge. Each
 * compares full JSON reports (minus timings) and checks, through `--stats`, that the path under test
 * was really taken (a pool that silently ran in the main thread would prove nothing).
 */
import { createHash } from 'node:crypto';
import { chmodSync, existsSync, readdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli, tempDir, writeTree, type CliRun } from '../helpers.js';
import { comparable, writeCorpus, writeRules } from './corpus.js';

interface Stats {
  files: number;
  cacheHits: number;
  statHits: number;
  analyzed: number;
  analyzerRuns: number;
  threads: number;
  inWorkers: number;
  cache: boolean;
}

function stats(run: CliRun): Stats {
  const line = run.stderr.split('\n').find((l) => l.startsWith('paasport: stats '));
  if (!line) throw new Error(`no stats in stderr:\n${run.stderr}`);
  return JSON.parse(line.slice('paasport: stats '.length)) as Stats;
}

function scan(root: string, rules: string, extra: string[], env: NodeJS.ProcessEnv = {}): { report: Record<string, unknown> & { findings: Array<{ file: string; ruleId: string; line: number }> }; stats: Stats; run: CliRun } {
  const run = runCli(['scan', root, '--no-builtin-rules', '--rules', rules, '--format', 'json', '--stats', ...extra], { env });
  expect(run.code, run.stderr).toBe(0);
  return { report: JSON.parse(run.stdout), stats: stats(run), run };
}

// Every test spawns the CLI several times; on a loaded machine one start-up alone can take seconds.
const SLOW = { timeout: 600_000 };

const work = tempDir('paasport-scale-');
const rules = path.join(work, 'rules');
const big = path.join(work, 'big');
const small = path.join(work, 'small');

beforeAll(() => {
  writeRules(rules);
  // ~2 MB in 1,000 files: above the pool's cut-off, so --jobs 2 really starts workers.
  writeCorpus(big, 1000, 60);
  writeCorpus(small, 60, 40, 11);
});

describe('prefilter', SLOW, () => {
  it('finds the same with and without the token prefilter, and skips analyzer runs with it', () => {
    const on = scan(small, rules, ['--no-cache', '--jobs', '1']);
    const off = scan(small, rules, ['--no-cache', '--jobs', '1', '--no-prefilter']);
    expect(on.report.findings.length).toBeGreaterThan(20);
    expect(comparable(on.report)).toEqual(comparable(off.report));
    expect(on.stats.files).toBe(60);
  });

  it('skips files that contain no rule token', () => {
    const tokenRules = ['jndi', 'file-writer', 'password'].flatMap((r) => ['--rules', path.join(rules, 'perf', `${r}.yaml`)]);
    const run = (extra: string[]) => {
      const r = runCli(['scan', small, '--no-builtin-rules', ...tokenRules, '--format', 'json', '--stats', '--no-cache', ...extra]);
      expect(r.code, r.stderr).toBe(0);
      return { report: JSON.parse(r.stdout), stats: stats(r) };
    };
    const on = run([]);
    const off = run(['--no-prefilter']);
    expect(off.stats.analyzerRuns).toBe(60);
    // a third of the corpus has no token at all, others lack some
    expect(on.stats.analyzerRuns).toBeLessThan(45);
    expect(on.report.findings.length).toBeGreaterThan(10);
    expect(comparable(on.report)).toEqual(comparable(off.report));
  });
});

describe('worker pool', SLOW, () => {
  it('produces the identical report in the main thread and in 2 worker threads', () => {
    const one = scan(big, rules, ['--no-cache', '--jobs', '1']);
    const workers = scan(big, rules, ['--no-cache', '--jobs', '2'], { PAASPORT_POOL: 'always' });
    expect(one.stats.threads).toBe(0);
    expect(workers.stats).toMatchObject({ threads: 2, inWorkers: 1000, analyzerRuns: 1000 });
    expect(one.report.findings.length).toBeGreaterThan(500);
    expect(comparable(workers.report)).toEqual(comparable(one.report));
  });

  it('produces the identical report when the main thread and the workers share the files', () => {
    const one = scan(big, rules, ['--no-cache', '--jobs', '1']);
    const mixed = scan(big, rules, ['--no-cache', '--jobs', '2'], { PAASPORT_POOL: 'mixed' });
    expect(mixed.stats.threads).toBeGreaterThanOrEqual(1);
    expect(comparable(mixed.report)).toEqual(comparable(one.report));
  });

  it('keeps small scans in the main thread whatever --jobs says', () => {
    expect(scan(small, rules, ['--no-cache', '--jobs', '4']).stats.threads).toBe(0);
  });

  it('rejects a bad --jobs value with a usage error', () => {
    const r = runCli(['scan', small, '--jobs', 'many']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--jobs/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });
});

describe('incremental cache', SLOW, () => {
  it('re-parses nothing on a warm re-scan and gives the same report', () => {
    const root = tempDir('paasport-cache-');
    writeCorpus(root, 80, 40, 3);
    const cold = scan(root, rules, ['--cache', '--jobs', '1']);
    expect(cold.stats).toMatchObject({ cache: true, cacheHits: 0, analyzed: 80 });
    expect(cold.stats.analyzerRuns).toBeGreaterThan(0);
    const cacheDir = path.join(root, '.paasport-cache');
    expect(readFileSync(path.join(cacheDir, '.gitignore'), 'utf8')).toMatch(/^\*$/m);
    const warm = scan(root, rules, ['--cache', '--jobs', '1']);
    expect(warm.stats).toMatchObject({ cacheHits: 80, analyzed: 0, analyzerRuns: 0 });
    const plain = scan(root, rules, ['--jobs', '1']);
    expect(plain.stats.cache).toBe(false);
    expect(comparable(warm.report)).toEqual(comparable(cold.report));
    const fresh = scan(root, rules, ['--no-cache']);
    expect(fresh.stats.cache).toBe(false);
    expect(comparable(fresh.report)).toEqual(comparable(cold.report));
  });

  it('re-analyzes exactly the changed file', () => {
    const root = tempDir('paasport-cache-');
    writeCorpus(root, 30, 40, 5);
    scan(root, rules, ['--cache']);
    writeFileSync(path.join(root, 'mod1/pkg1/file-0001.txt'), 'password = changed\n');
    const next = scan(root, rules, ['--cache']);
    expect(next.stats).toMatchObject({ cacheHits: 29, analyzed: 1 });
    expect(next.report.findings.filter((f) => f.file === 'mod1/pkg1/file-0001.txt').map((f) => f.ruleId)).toEqual(['perf/password']);
  });

  it('also caches a worker-pool scan, and a warm scan starts no workers', () => {
    const cacheDir = path.join(work, 'big-cache');
    const cold = scan(big, rules, ['--cache-dir', cacheDir, '--jobs', '2'], { PAASPORT_POOL: 'always' });
    expect(cold.stats).toMatchObject({ threads: 2, inWorkers: 1000 });
    const warm = scan(big, rules, ['--cache-dir', cacheDir, '--jobs', '2'], { PAASPORT_POOL: 'always' });
    expect(warm.stats).toMatchObject({ cacheHits: 1000, analyzerRuns: 0, threads: 0 });
    expect(comparable(warm.report)).toEqual(comparable(cold.report));
    expect(existsSync(path.join(big, '.paasport-cache'))).toBe(false);
  });

  it('ignores corrupt, foreign and tampered entries and recomputes them', () => {
    const root = tempDir('paasport-cache-');
    writeCorpus(root, 12, 40, 9);
    const cacheDir = path.join(root, '.paasport-cache');
    const cold = scan(root, rules, ['--cache']);
    const entries = (readdirSync(cacheDir, { recursive: true }) as string[]).filter((f) => f.endsWith('.entry')).map((f) => path.join(cacheDir, f)).sort();
    expect(entries).toHaveLength(12);
    const [a, b, c, d] = entries as [string, string, string, string];
    // 1. not JSON at all
    writeFileSync(a, '{ this is not json');
    // 2. a valid entry of another file put under this key ("foreign")
    writeFileSync(b, readFileSync(c));
    // 3. payload edited, checksum left alone
    const dText = readFileSync(d, 'utf8');
    const nl = dText.indexOf('\n');
    writeFileSync(d, dText.slice(0, nl + 1) + dText.slice(nl + 1).replace(/"findings":\[/, '"findings":[{"id":"x","ruleId":"perf/jndi","file":"evil","line":1}'));
    // 4. payload edited and checksum recomputed, but the findings claim another file
    const [e] = entries.slice(4);
    const eText = readFileSync(e!, 'utf8');
    const enl = eText.indexOf('\n');
    const header = JSON.parse(eText.slice(0, enl));
    const body = eText.slice(enl + 1).replaceAll(`"${header.path}"`, '"elsewhere.txt"');
    header.checksum = createHash('sha256').update(body).digest('hex');
    writeFileSync(e!, `${JSON.stringify(header)}\n${body}`);
    // The stat index would serve these files without the entries (on a slow machine their mtimes
    // are old enough to trust); this test is about the entries, the index has its own below.
    for (const f of readdirSync(cacheDir, { recursive: true }) as string[]) if (/index-[0-9a-f]+\.json$/.test(f)) rmSync(path.join(cacheDir, f));
    const again = scan(root, rules, ['--cache']);
    expect(again.stats.cacheHits).toBe(8);
    expect(again.stats.analyzed).toBe(4);
    expect(comparable(again.report)).toEqual(comparable(cold.report));
    // the recomputed entries were rewritten: a third scan is fully warm
    expect(scan(root, rules, ['--cache']).stats.cacheHits).toBe(12);
  });

  it('serves an unchanged tree from the stat index without reading a file, and never trusts a changed stat', () => {
    const root = tempDir('paasport-cache-');
    writeCorpus(root, 20, 40, 17);
    const files = (readdirSync(root, { recursive: true }) as string[]).filter((f) => statSync(path.join(root, f)).isFile()).sort();
    // Files last written a minute ago: older than the index's racy window. Setting the mtime moves
    // the ctime to now, which the racy check also looks at, so let that settle first.
    const old = new Date(Date.now() - 60_000);
    for (const f of files) utimesSync(path.join(root, f), old, old);
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 2_500);
    const cold = scan(root, rules, ['--cache']);
    expect(cold.stats).toMatchObject({ cacheHits: 0, statHits: 0, analyzed: 20 });
    const warm = scan(root, rules, ['--cache']);
    expect(warm.stats).toMatchObject({ cacheHits: 20, statHits: 20, analyzerRuns: 0 });
    expect(comparable(warm.report)).toEqual(comparable(cold.report));

    // Same size, mtime put back: the ctime still moves, so the file is read, hashed and re-analyzed.
    const victim = path.join(root, files[0]!);
    const before = readFileSync(victim, 'utf8');
    writeFileSync(victim, (before.startsWith('#') ? 'x' : '#') + before.slice(1));
    utimesSync(victim, old, old);
    const after = scan(root, rules, ['--cache']);
    expect(after.stats).toMatchObject({ cacheHits: 19, analyzed: 1 });
    expect(after.stats.statHits).toBeLessThanOrEqual(19);

    // A file touched just now is inside the racy window: read and hashed (a cache hit, not a stat hit).
    const fresh = path.join(root, files[1]!);
    const now = new Date();
    utimesSync(fresh, now, now);
    const racy = scan(root, rules, ['--cache']);
    expect(racy.stats.cacheHits).toBe(20);
    expect(racy.stats.statHits).toBeLessThanOrEqual(19);

    // A corrupt index is ignored: the per-file entries still serve every file.
    const cacheDir = path.join(root, '.paasport-cache');
    const index = (readdirSync(cacheDir, { recursive: true }) as string[]).find((f) => /index-[0-9a-f]+\.json$/.test(f))!;
    const text = readFileSync(path.join(cacheDir, index), 'utf8');
    writeFileSync(path.join(cacheDir, index), text.replace('"findings":[', '"findings":[{"id":"x","ruleId":"perf/jndi","file":"evil","line":1},'));
    const repaired = scan(root, rules, ['--cache']);
    expect(repaired.stats).toMatchObject({ cacheHits: 20, statHits: 0, analyzerRuns: 0 });
    expect(comparable(repaired.report)).toEqual(comparable(after.report));
  });

  it('invalidates every entry when a rule changes', () => {
    const root = tempDir('paasport-cache-');
    writeCorpus(root, 10, 40, 13);
    const ownRules = tempDir('paasport-rules-');
    writeRules(ownRules);
    scan(root, ownRules, ['--cache']);
    const file = path.join(ownRules, 'perf/jndi.yaml');
    writeFileSync(file, readFileSync(file, 'utf8').replace('title: perf/jndi test rule', 'title: perf/jndi test rule, renamed'));
    const after = scan(root, ownRules, ['--cache']);
    expect(after.stats).toMatchObject({ cacheHits: 0, analyzed: 10 });
  });

  it('scans a read-only tree without a cache and without complaint', () => {
    if (process.getuid?.() === 0) {
      // root ignores permission bits; an unwritable cache folder is made with a file in its place
      const root = tempDir('paasport-ro-');
      writeCorpus(root, 5, 20, 17);
      writeFileSync(path.join(root, 'blocker'), 'not a folder');
      const r = scan(root, rules, ['--cache-dir', path.join(root, 'blocker', 'cache')]);
      expect(r.stats.cache).toBe(false);
      expect(r.report.findings.length).toBeGreaterThan(0);
      expect(r.run.stderr.replace(/paasport: stats .*\n/, '')).toBe('');
      return;
    }
    const root = tempDir('paasport-ro-');
    writeCorpus(root, 5, 20, 17);
    chmodSync(root, 0o555);
    try {
      const r = scan(root, rules, ['--cache']);
      expect(r.stats.cache).toBe(false);
      expect(r.run.stderr.replace(/paasport: stats .*\n/, '')).toBe('');
    } finally {
      chmodSync(root, 0o755);
    }
  });
});

describe('shards and merge', SLOW, () => {
  it('merged shards equal a single scan', () => {
    const single = scan(small, rules, ['--no-cache']);
    const outs: string[] = [];
    let total = 0;
    for (let i = 1; i <= 3; i++) {
      const s = scan(small, rules, ['--no-cache', '--shard', `${i}/3`]);
      total += s.stats.files;
      expect(s.stats.files).toBeLessThan(60);
      const out = path.join(work, `shard-${i}.json`);
      writeFileSync(out, s.run.stdout);
      outs.push(out);
    }
    expect(total).toBe(60);
    const merged = runCli(['merge', ...outs.reverse()]);
    expect(merged.code, merged.stderr).toBe(0);
    expect(comparable(JSON.parse(merged.stdout))).toEqual(comparable(single.report));
  });

  it('refuses an incomplete set of shards', () => {
    const s = scan(small, rules, ['--no-cache', '--shard', '1/2']);
    const out = path.join(work, 'lonely.json');
    writeFileSync(out, s.run.stdout);
    const r = runCli(['merge', out]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('missing shard 2/2');
  });

  it('merges different apps with their paths prefixed', () => {
    const a = path.join(work, 'app-a.json');
    const b = path.join(work, 'app-b.json');
    writeFileSync(a, scan(small, rules, ['--no-cache']).run.stdout);
    writeFileSync(b, scan(big, rules, ['--no-cache']).run.stdout);
    const r = runCli(['merge', a, b, '--output', path.join(work, 'merged', 'all.json')]);
    expect(r.code, r.stderr).toBe(0);
    const merged = JSON.parse(readFileSync(path.join(work, 'merged', 'all.json'), 'utf8'));
    const sa = JSON.parse(readFileSync(a, 'utf8'));
    const sb = JSON.parse(readFileSync(b, 'utf8'));
    expect(merged.summary.findings).toBe(sa.summary.findings + sb.summary.findings);
    expect(merged.summary.files).toBe(1060);
    expect(new Set(merged.findings.map((f: { file: string }) => f.file.split('/')[0]))).toEqual(new Set(['small', 'big']));
    const sarif = runCli(['merge', a, b, '--format', 'sarif']);
    expect(sarif.code, sarif.stderr).toBe(0);
    expect(JSON.parse(sarif.stdout).runs[0].results).toHaveLength(merged.findings.length);
  });

  it('rejects a file that is not a report', () => {
    const bad = path.join(work, 'bad.json');
    writeFileSync(bad, '{"hello": 1}');
    const r = runCli(['merge', bad]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/not a paasport JSON report/);
  });
});

describe('portfolio', SLOW, () => {
  it('scans each first-level folder and writes a ranked portfolio with links and a heat map', () => {
    const dir = tempDir('paasport-portfolio-');
    writeCorpus(path.join(dir, 'orders'), 20, 40, 21);
    writeCorpus(path.join(dir, 'billing'), 40, 40, 22);
    writeTree(path.join(dir, 'clean'), { 'README.txt': 'nothing to see\n' });
    writeTree(dir, { 'notes.txt': 'not an app' });
    const out = path.join(dir, 'report');
    const r = runCli(['scan', dir, '--portfolio', '--no-builtin-rules', '--rules', rules, '--no-cache', '--output', out]);
    expect(r.code, r.stderr).toBe(0);
    const p = JSON.parse(readFileSync(path.join(out, 'portfolio.json'), 'utf8'));
    expect(p.apps.map((a: { name: string }) => a.name).sort()).toEqual(['billing', 'clean', 'orders']);
    expect(p.apps.map((a: { rank: number }) => a.rank)).toEqual([1, 2, 3]);
    // the app without findings is the readiest; ranks follow score (or findings without a scorer)
    expect(p.apps[0].name).toBe('clean');
    for (const a of p.apps) {
      const report = JSON.parse(readFileSync(path.join(out, a.reports.json), 'utf8'));
      expect(report.summary.findings).toBe(a.findings);
    }
    expect(p.concerns).toEqual(expect.arrayContaining(['local-storage', 'local-credentials', 'host-bound-config', 'app-server-api']));
    const html = readFileSync(path.join(out, 'portfolio.html'), 'utf8');
    expect(html).toContain('href="apps/billing.');
    expect(html).toMatch(/<table class="heat">[\s\S]*local-credentials/);
  });

  it('takes a list file of app folders, and needs --output', () => {
    const dir = tempDir('paasport-portfolio-');
    writeCorpus(path.join(dir, 'apps', 'one'), 5, 20, 31);
    writeCorpus(path.join(dir, 'apps', 'two'), 5, 20, 32);
    writeTree(dir, { 'apps.txt': '# our apps\napps/one\n\napps/two   # the other one\napps/missing\n' });
    const noOut = runCli(['scan', path.join(dir, 'apps.txt'), '--portfolio']);
    expect(noOut.code).toBe(2);
    expect(noOut.stderr).toMatch(/--output/);
    const out = path.join(dir, 'out');
    const r = runCli(['scan', path.join(dir, 'apps.txt'), '--portfolio', '--no-builtin-rules', '--rules', rules, '--no-cache', '--output', out]);
    // a missing app is listed as failed and makes the exit code 2; the others are still reported
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('missing: path not found');
    const p = JSON.parse(readFileSync(path.join(out, 'portfolio.json'), 'utf8'));
    expect(p.apps.map((a: { name: string }) => a.name).sort()).toEqual(['missing', 'one', 'two']);
    expect(p.apps.filter((a: { failed?: string }) => a.failed).map((a: { name: string }) => a.name)).toEqual(['missing']);
    expect(p.apps.at(-1).name).toBe('missing');
  });
});

// keep the temp trees small on disk between runs
process.on('exit', () => {
  try {
    if (statSync(work).isDirectory()) rmSync(work, { recursive: true, force: true });
  } catch {
    // already gone
  }
});
