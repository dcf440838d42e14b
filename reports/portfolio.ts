/**
 * The portfolio report: many apps side by side, so a team can choose which to move first. Apps are
 * ranked most-ready first (score, then least effort); the heat map shows, per concern and app, how
 * many findings stand in the way. Each app links to its own full report.
 */
import { CONCERNS, type Concern, type ScanResult, type Severity } from '../core/index.js';

export interface PortfolioApp {
  name: string;
  /** absolute POSIX path that was scanned */
  root: string;
  /** relative links (from the portfolio folder) to this app's reports */
  reports: { json: string; html?: string };
  rank: number;
  files: number;
  findings: number;
  /** readiness 0–100; null = insufficient data (nothing analyzable) */
  score: number | null;
  grade: string;
  effort: { points: number; days: number } | null;
  byConcern: Partial<Record<Concern, number>>;
  bySeverity: Record<Severity, number>;
  errors: number;
  /** set when the app could not be scanned at all */
  failed?: string;
}

export interface PortfolioResult {
  schemaVersion: 1;
  kind: 'paasport-portfolio';
  tool: { name: 'paasport'; version: string };
  generatedAt: string;
  /** concerns with at least one finding in some app, in the catalog's concern order */
  concerns: Concern[];
  apps: PortfolioApp[];
  totals: { apps: number; files: number; findings: number; effortDays: number };
}

export interface PortfolioEntry {
  name: string;
  reports: PortfolioApp['reports'];
  result?: ScanResult;
  failed?: string;
}

function effortOf(r: ScanResult): PortfolioApp['effort'] {
  const e = r.summary.effort as { points?: unknown; days?: unknown } | undefined;
  return e && typeof e.points === 'number' && typeof e.days === 'number' ? { points: e.points, days: e.days } : null;
}

/** Ranks apps: readier first; among equal scores, less effort first; unscored and failed apps last. */
export function buildPortfolio(entries: readonly PortfolioEntry[], version: string, generatedAt = new Date().toISOString()): PortfolioResult {
  const apps: PortfolioApp[] = entries.map((e) => {
    const r = e.result;
    const app: PortfolioApp = {
      name: e.name,
      root: r?.root ?? '',
      reports: e.reports,
      rank: 0,
      files: r?.summary.files ?? 0,
      findings: r?.summary.findings ?? 0,
      score: typeof r?.summary.score === 'number' ? r.summary.score : null,
      grade: typeof r?.summary.grade === 'string' ? r.summary.grade : 'N/A',
      effort: r ? effortOf(r) : null,
      byConcern: r?.summary.byConcern ?? {},
      bySeverity: r?.summary.bySeverity ?? { mandatory: 0, potential: 0, optional: 0 },
      errors: r?.errors.length ?? 0,
    };
    if (e.failed !== undefined) app.failed = e.failed;
    return app;
  });
  const key = (a: PortfolioApp): [number, number, number, string] => [
    a.failed !== undefined ? 1 : 0,
    a.score === null ? Number.POSITIVE_INFINITY : -a.score,
    // Without a score (scorer absent), fewer findings and less effort still order the list sensibly.
    a.effort?.days ?? a.findings,
    a.name,
  ];
  apps.sort((a, b) => {
    const ka = key(a);
    const kb = key(b);
    for (let i = 0; i < ka.length; i++) if (ka[i] !== kb[i]) return ka[i]! < kb[i]! ? -1 : 1;
    return 0;
  });
  apps.forEach((a, i) => (a.rank = i + 1));
  const present = new Set(apps.flatMap((a) => Object.keys(a.byConcern)));
  return {
    schemaVersion: 1,
    kind: 'paasport-portfolio',
    tool: { name: 'paasport', version },
    generatedAt,
    concerns: CONCERNS.filter((c) => present.has(c)),
    apps,
    totals: {
      apps: apps.length,
      files: apps.reduce((n, a) => n + a.files, 0),
      findings: apps.reduce((n, a) => n + a.findings, 0),
      effortDays: Math.round(apps.reduce((n, a) => n + (a.effort?.days ?? 0), 0) * 10) / 10,
    },
  };
}

export function renderPortfolioJson(p: PortfolioResult): string {
  return `${JSON.stringify(p, null, 2)}\n`;
}

const esc = (s: string): string => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** Cell shade grows with the count relative to the portfolio's worst cell, so hot spots stand out. */
function heat(n: number, max: number): string {
  if (n === 0) return '';
  const t = Math.min(1, Math.log1p(n) / Math.log1p(Math.max(1, max)));
  const light = Math.round(92 - t * 47);
  return ` style="background:hsl(8 80% ${light}%);${light < 62 ? 'color:#fff;' : ''}"`;
}

/** A self-contained page (no scripts, no external assets): safe to archive or attach to a ticket. */
export function renderPortfolioHtml(p: PortfolioResult): string {
  const max = Math.max(0, ...p.apps.flatMap((a) => p.concerns.map((c) => a.byConcern[c] ?? 0)));
  const link = (a: PortfolioApp): string => `<a href="${esc(a.reports.html ?? a.reports.json)}">${esc(a.name)}</a>`;
  const ranking = p.apps
    .map(
      (a) => `<tr${a.failed ? ' class="failed"' : ''}><td class="num">${a.rank}</td><td>${link(a)}</td><td class="num">${a.score ?? '–'}</td><td class="grade g-${esc(a.grade.replace('/', ''))}">${esc(a.grade)}</td>` +
        `<td class="num">${a.effort ? `${a.effort.days} d (${a.effort.points} pt)` : '–'}</td><td class="num">${a.findings}</td>` +
        `<td class="num">${a.bySeverity.mandatory}</td><td class="num">${a.bySeverity.potential}</td><td class="num">${a.bySeverity.optional}</td><td class="num">${a.files}</td>` +
        `<td>${a.failed ? `scan failed: ${esc(a.failed)}` : a.errors > 0 ? `${a.errors} file error${a.errors > 1 ? 's' : ''}` : ''}</td></tr>`,
    )
    .join('\n');
  const heatHead = p.apps.map((a) => `<th scope="col" class="app">${link(a)}</th>`).join('');
  const heatRows = p.concerns
    .map((c) => `<tr><th scope="row">${esc(c)}</th>${p.apps.map((a) => `<td class="num"${heat(a.byConcern[c] ?? 0, max)}>${a.byConcern[c] ?? ''}</td>`).join('')}</tr>`)
    .join('\n');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>paasport portfolio — ${p.totals.apps} apps</title>
<style>
body{font:14px/1.45 system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:2rem;color:#1d232a;background:#fff}
h1{font-size:1.5rem;margin:0 0 .25rem}h2{font-size:1.15rem;margin:2rem 0 .5rem}
.meta{color:#5b6570;margin:0 0 1rem}
table{border-collapse:collapse;margin:.5rem 0}th,td{border:1px solid #d8dde3;padding:.3rem .55rem;text-align:left}
th{background:#f3f5f7;font-weight:600}.num{text-align:right;font-variant-numeric:tabular-nums}
.heat td{min-width:2.5rem;text-align:center}.heat th.app{writing-mode:vertical-rl;transform:rotate(180deg);white-space:nowrap}
.grade{font-weight:700;text-align:center}.g-A{color:#176b2c}.g-B{color:#3d7a16}.g-C{color:#8a6d00}.g-D,.g-E{color:#b04a00}.g-F{color:#b00020}
tr.failed td{color:#b00020}a{color:#0b57d0}
</style>
</head>
<body>
<h1>paasport portfolio</h1>
<p class="meta">${p.totals.apps} apps · ${p.totals.files} files analyzed · ${p.totals.findings} findings · ${p.totals.effortDays} person-days estimated · paasport ${esc(p.tool.version)} · ${esc(p.generatedAt)}</p>
<h2>Apps, readiest first</h2>
<table class="rank">
<thead><tr><th>#</th><th>app</th><th>score</th><th>grade</th><th>effort</th><th>findings</th><th>mandatory</th><th>potential</th><th>optional</th><th>files</th><th>notes</th></tr></thead>
<tbody>
${ranking}
</tbody>
</table>
<h2>Concerns × apps</h2>
${p.concerns.length === 0 ? '<p>No findings in any app.</p>' : `<table class="heat">\n<thead><tr><th>concern</th>${heatHead}</tr></thead>\n<tbody>\n${heatRows}\n</tbody>\n</table>`}
</body>
</html>
`;
}
