/**
 * `paasport scan --portfolio <dir|list>`: scans many apps and writes, into the folder named by
 * --output, one report per app plus the portfolio report (portfolio.json, portfolio.html) that ranks
 * them and links to each. An app that cannot be scanned is listed as failed; the others still run.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { ScanResult } from '../core/index.js';
import { renderJson, renderReport } from '../reports/index.js';
import { buildPortfolio, renderPortfolioHtml, renderPortfolioJson, type PortfolioEntry, type PortfolioResult } from '../reports/portfolio.js';
import { VERSION } from './paths.js';
import { createProgress } from './progress.js';
import { loadHtmlTemplates } from './report-templates.js';
import { runScanDetailed, UsageError, type ScanOptions } from './scan.js';

export interface PortfolioApp {
  name: string;
  dir: string;
}

/** Folders that are never apps: VCS metadata, dependencies, paasport's own output. */
const NOT_APPS = new Set(['node_modules', '.git', '.paasport-cache', 'paasport-out']);

export function listApps(spec: string): PortfolioApp[] {
  if (!existsSync(spec)) throw new UsageError(`--portfolio: not found: ${spec}`);
  let dirs: string[];
  if (statSync(spec).isDirectory()) {
    dirs = readdirSync(spec, { withFileTypes: true })
      .filter((d) => d.isDirectory() && !d.name.startsWith('.') && !NOT_APPS.has(d.name))
      .map((d) => path.join(spec, d.name))
      .sort();
  } else {
    // A list file: one app folder a line, relative to the list file; `#` starts a comment.
    const base = path.dirname(path.resolve(spec));
    dirs = readFileSync(spec, 'utf8')
      .split(/\r?\n/)
      .map((l) => l.replace(/(^|\s)#.*$/, '').trim())
      .filter(Boolean)
      .map((l) => path.resolve(base, l));
  }
  if (dirs.length === 0) throw new UsageError(`--portfolio: no app folders in ${spec}`);
  const used = new Set<string>();
  return dirs.map((dir) => {
    const base = path.basename(path.resolve(dir)).replace(/[^A-Za-z0-9._-]+/g, '_') || 'app';
    let name = base;
    for (let n = 2; used.has(name); n++) name = `${base}-${n}`;
    used.add(name);
    return { name, dir };
  });
}

/** Each app's own HTML report, rendered like `scan --format html` does. */
function renderAppHtml(result: ScanResult): string {
  return renderReport('html', result, { templates: loadHtmlTemplates() });
}

export async function runPortfolio(spec: string, options: ScanOptions, out: { output?: string; quiet?: boolean }): Promise<PortfolioResult> {
  if (!out.output) throw new UsageError('--portfolio writes several reports: name their folder with --output <dir>');
  const apps = listApps(spec);
  const outDir = path.resolve(out.output);
  mkdirSync(path.join(outDir, 'apps'), { recursive: true });
  const entries: PortfolioEntry[] = [];
  for (const app of apps) {
    const links: PortfolioEntry['reports'] = { json: `apps/${app.name}.json` };
    try {
      const { result } = await runScanDetailed(app.dir, { ...options, progress: createProgress({ quiet: out.quiet, label: app.name }) });
      writeFileSync(path.join(outDir, links.json), renderJson(result));
      try {
        writeFileSync(path.join(outDir, 'apps', `${app.name}.html`), renderAppHtml(result));
        links.html = `apps/${app.name}.html`;
      } catch (e) {
        process.stderr.write(`paasport: ${app.name}: HTML report failed: ${(e as Error).message}\n`);
      }
      entries.push({ name: app.name, reports: links, result });
    } catch (e) {
      const message = (e as Error).message.split('\n')[0] ?? 'failed';
      process.stderr.write(`paasport: ${app.name}: ${message}\n`);
      entries.push({ name: app.name, reports: links, failed: message });
    }
  }
  const portfolio = buildPortfolio(entries, VERSION);
  writeFileSync(path.join(outDir, 'portfolio.json'), renderPortfolioJson(portfolio));
  writeFileSync(path.join(outDir, 'portfolio.html'), renderPortfolioHtml(portfolio));
  const failed = entries.filter((e) => e.failed).length;
  process.stdout.write(`paasport: portfolio of ${apps.length} apps (${failed} failed) written to ${path.join(outDir, 'portfolio.html')}\n`);
  for (const a of portfolio.apps) {
    process.stdout.write(`  ${String(a.rank).padStart(3)}. ${a.name.padEnd(32)} ${a.failed ? 'FAILED' : `score ${a.score ?? '–'} (${a.grade}), ${a.findings} findings${a.effort ? `, ${a.effort.days} d` : ''}`}\n`);
  }
  if (failed > 0) process.exitCode = 2;
  return portfolio;
}
