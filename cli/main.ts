/**
 * The composition root: argv → commands. Exit codes are a contract (docs/ci.md):
 * 0 the command completed; 1 a CI gate failed; 2 usage or fatal error, reported in one line on
 * stderr without a stack trace.
 */
import { Command, CommanderError, Option } from 'commander';
import { mkdirSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { CONCERNS, formatRuleLoadError, RuleLoadFailure, ruleSchema, runRuleExamples } from '../core/index.js';
import { renderJson, renderText } from '../reports/index.js';
import { defaultCacheDir } from './cache.js';
import { loadCatalog } from './catalog.js';
import { VERSION } from './paths.js';
import { analyzers } from './registry.js';
import { registerGenerate } from './commands/generate.js';
import { registerMerge } from './commands/merge.js';
import { MAX_DEFAULT_JOBS, parseJobs } from './pool.js';
import { runPortfolio } from './portfolio.js';
import { createProgress } from './progress.js';
import { runScanDetailed, scaleScanOptions, UsageError, type ScaleOptions } from './scan.js';
import { parseShard } from './shard.js';
import { configuredRules, finishScan, loadProjectConfig, planReports, type ReportCliOptions } from './report-output.js';

const collect = (value: string, previous: string[]): string[] => [...previous, value];

function fail(message: string): never {
  process.stderr.write(`paasport: ${message.split('\n')[0]}\n`);
  process.exit(2);
}

function writeOutput(file: string | undefined, text: string): void {
  if (!file) {
    process.stdout.write(text);
    return;
  }
  mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  writeFileSync(file, text);
}

function parseSize(value: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*(k|kb|m|mb)?$/i.exec(value.trim());
  if (!m) throw new UsageError(`--max-file-size: expected a size like 2mb or 500kb, got "${value}"`);
  const n = Number(m[1]);
  const unit = (m[2] ?? '').toLowerCase();
  return Math.round(unit.startsWith('m') ? n * 1024 * 1024 : unit.startsWith('k') ? n * 1024 : n);
}

export function buildProgram(): Command {
  const program = new Command();
  // Set before subcommands are added: they inherit it, so every usage error reaches main() and exits 2.
  program.exitOverride();
  program.configureOutput({ writeErr: (s) => process.stderr.write(s) });
  program
    .name('paasport')
    .description('Finds what stops a legacy Java EE or Node.js application from running on a PaaS / Kubernetes, and helps it get there.')
    .version(VERSION, '-V, --version')
    .showHelpAfterError('(run with --help for usage)')
    .addHelpText(
      'after',
      `
Examples:
  $ paasport scan ./legacy-app                          readable summary on the console
  $ paasport scan ./legacy-app --format json --output report.json
  $ paasport scan ./legacy-app --rules ./team-rules     add your own rule files
  $ paasport rules list --concern session-state

Exit codes: 0 completed, 1 CI gate failed, 2 usage or fatal error.`,
    );

  program
    .command('scan')
    .description('scan a codebase for platform blockers')
    .argument('<path>', 'folder of the application to scan (with --portfolio: a folder of apps, or a file listing app folders)')
    .addOption(new Option('-f, --format <format>', 'text|json|sarif|html|markdown|gitlab; repeatable or a comma list').argParser(collect).default([] as string[], 'text, or "formats" in the config file'))
    .option('-o, --output <file>', 'write the (one) report to a file instead of stdout')
    .option('--out-dir <dir>', 'write each format to <dir>: paasport-report.json|.sarif|.html|.md|.txt, gl-code-quality.json')
    .option('--fail-on <severity>', 'CI gate: exit 1 if a finding (a new one, with --baseline) is at least this severe: mandatory|potential|optional')
    .option('--min-score <n>', 'CI gate: exit 1 if the readiness score is below n (0-100)')
    .option('--baseline <file>', 'only findings not in this baseline count for --fail-on; every format marks them new')
    .option('--write-baseline <file>', 'record the current findings (fingerprints) as a baseline file')
    .option('--days-per-point <n>', 'person-days per story point in the effort estimate (default 0.5; docs/scoring.md)')
    .option('--no-config', 'ignore paasport.config.json / .paasportrc.yml in <path>')
    .option('-r, --rules <file|dir>', 'extra rule file or folder (repeatable)', collect, [] as string[])
    .option('-x, --exclude <glob>', 'exclude files matching a glob, relative to <path> (repeatable)', collect, [] as string[])
    .option('--include-tests', 'also scan test code (src/test, test/, *.spec.*, …)', false)
    .option('--max-file-size <size>', 'skip files larger than this (e.g. 2mb, 500kb)', '2mb')
    .option('--no-builtin-rules', 'run only the rules given with --rules')
    .option('--cache', 'keep an incremental cache in <path>/.paasport-cache/ (git-ignored; skipped silently when <path> is read-only)')
    .option('--cache-dir <dir>', 'keep the incremental cache in this folder (implies --cache)')
    .option('--no-cache', 'neither read nor write the cache (the default: paasport writes nothing but the reports you name unless asked)')
    .option('-j, --jobs <n>', `worker threads for large scans (default: CPU cores, at most ${MAX_DEFAULT_JOBS}; 1 = analyze in the main thread)`, parseJobs)
    .option('--shard <i/n>', 'scan only share i of n of the files (combine the n reports with `paasport merge`)', parseShard)
    .option('--portfolio', 'scan each first-level folder of <path> (or each folder listed in the file <path>) as an app; --output names the folder for the portfolio report', false)
    .option('-q, --quiet', 'no progress bar', false)
    .addOption(new Option('--no-prefilter', 'analyze every file with every rule, ignoring rule tokens (for checking the prefilter)').hideHelp())
    .addOption(new Option('--stats', 'print scan statistics (cache hits, analyzer runs, threads) as JSON on stderr').hideHelp())
    .addHelpText(
      'after',
      `
Examples:
  $ paasport scan fixtures/sample-legacy-javaee
  $ paasport scan . --format json --output paasport-report.json --exclude 'legacy/**'
  $ paasport scan . --format html,sarif,markdown --out-dir paasport-out
  $ paasport scan . --format sarif -o paasport.sarif --fail-on mandatory --baseline .paasport-baseline.json
  $ paasport scan . --write-baseline .paasport-baseline.json      accept today's findings
Inline suppression (in any comment syntax): // paasport-ignore <rule-id|concern> -- <reason>
                                            # paasport-ignore-next-line <rule-id|concern> -- <reason>
  $ paasport scan ./apps --portfolio --output portfolio/    every folder of ./apps is an app
  $ paasport scan . --shard 2/4 --format json -o shard-2.json   then: paasport merge shard-*.json`,
    )
    .action(async (target: string, opts: ReportCliOptions & { output?: string; rules: string[]; exclude: string[]; includeTests: boolean; maxFileSize: string; builtinRules: boolean } & ScaleOptions) => {
      const scale = scaleScanOptions(opts);
      // Only for a real folder: a mistyped path must fail with "not found", not gain a cache folder.
      const memoDir = scale.cache && !opts.portfolio && isDirectory(target) ? (scale.cacheDir ?? defaultCacheDir(target)) : undefined;
      const { rules, problems } = loadCatalog({ extra: opts.rules, builtin: opts.builtinRules, ...(memoDir !== undefined ? { memoDir } : {}) });
      for (const p of problems) process.stderr.write(`paasport: rule file problem: ${formatRuleLoadError(p)}\n`);
      const base = { rules, ruleProblems: problems, excludes: opts.exclude, includeTests: opts.includeTests, maxFileSize: parseSize(opts.maxFileSize) };
      if (opts.portfolio) {
        await runPortfolio(target, { ...base, ...scaleScanOptions(opts) }, { output: opts.output, quiet: opts.quiet });
        if (problems.length > 0) process.exitCode = 2;
        return;
      }
      // Config and report options are checked before scanning: a typo fails fast, with exit 2.
      const project = opts.config === false ? undefined : loadProjectConfig(target);
      const reportPlan = planReports(opts, target, project);
      const configured = { ...base, rules: configuredRules(rules, project), excludes: [...opts.exclude, ...(project?.config.exclude ?? [])] };
      const { result, stats } = await runScanDetailed(target, { ...configured, ...scaleScanOptions(opts), progress: createProgress({ quiet: opts.quiet }) });
      if (opts.stats) process.stderr.write(`paasport: stats ${JSON.stringify(stats)}\n`);
      finishScan(result, reportPlan);
      if (problems.length > 0) process.exitCode = 2;
    });

  registerMerge(program);
  registerGenerate(program);

  const rulesCmd = program.command('rules').description('inspect the rule catalog');
  rulesCmd
    .command('list')
    .description('list the rules, optionally of one concern')
    .addOption(new Option('--concern <id>', 'only rules of this concern').choices([...CONCERNS]))
    .option('-r, --rules <file|dir>', 'extra rule file or folder (repeatable)', collect, [] as string[])
    .option('--json', 'print the rules as JSON', false)
    .action((opts: { concern?: string; rules: string[]; json: boolean }) => {
      const { rules, problems } = loadCatalog({ extra: opts.rules });
      if (problems.length > 0) throw new RuleLoadFailure(problems);
      const shown = rules.filter((r) => !opts.concern || r.concern === opts.concern);
      if (opts.json) {
        process.stdout.write(`${JSON.stringify(shown.map(({ examples: _e, source: _s, ...meta }) => meta), null, 2)}\n`);
        return;
      }
      for (const r of shown) process.stdout.write(`${r.id.padEnd(44)} ${r.concern.padEnd(22)} ${r.severity.padEnd(9)} ${String(r.effort).padStart(2)}  ${r.title}\n`);
      process.stdout.write(`${shown.length} rules\n`);
    });

  rulesCmd
    .command('schema')
    .description('print the JSON Schema of a rule file (rules/rule.schema.json is this output)')
    .action(() => {
      process.stdout.write(`${JSON.stringify(ruleSchema, null, 2)}\n`);
    });

  program
    .command('test-rules')
    .description("run every rule's inline examples through its analyzer (positive: exactly one finding; negative: none)")
    .argument('[paths...]', 'rule files or folders (default: the built-in catalog)')
    .action(async (paths: string[]) => {
      const { rules, problems } = paths.length > 0 ? loadCatalog({ extra: paths, builtin: false }) : loadCatalog();
      if (problems.length > 0) throw new RuleLoadFailure(problems);
      let failed = 0;
      let total = 0;
      for (const rule of rules) {
        for (const o of await runRuleExamples(rule, analyzers)) {
          total += 1;
          if (o.status === 'ok') continue;
          failed += 1;
          process.stdout.write(`${o.status.toUpperCase().padEnd(8)} ${rule.source}: ${o.detail ?? ''}\n`);
        }
      }
      process.stdout.write(`${total - failed} passed, ${failed} failed\n`);
      if (failed > 0) process.exitCode = 1;
    });

  // Listed for --help only: main() hands `run` to the runtime shim before commander parses anything.
  program.command('run').description('run an app as a platform-ready instance: paasport run [options] -- <command> [args...] (see paasport run --help)');

  return program;
}

function isDirectory(p: string): boolean {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
}

export async function main(argv: string[]): Promise<void> {
  if (argv[2] === 'run') {
    // Everything after `run` belongs to the shim, and everything after `--` to the app: commander must
    // not see the app's flags. Loaded lazily: a container entry point should not load the scanner.
    const { runFromArgv } = await import('../runtime-shim/main.js');
    process.exit(await runFromArgv(argv.slice(3)));
  }
  const program = buildProgram();
  try {
    await program.parseAsync(argv);
  } catch (err) {
    if (err instanceof CommanderError) {
      // --help and --version exit 0; everything else commander rejects is a usage error.
      process.exit(err.exitCode === 0 ? 0 : 2);
    }
    if (err instanceof RuleLoadFailure) {
      for (const p of err.problems) process.stderr.write(`paasport: ${formatRuleLoadError(p)}\n`);
      process.exit(2);
    }
    if (err instanceof UsageError) fail(err.message);
    const e = err as NodeJS.ErrnoException;
    fail(e.code ? `${e.code}: ${e.message}` : e.message ?? String(err));
  }
}

await main(process.argv);
