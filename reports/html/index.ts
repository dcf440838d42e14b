/**
 * The HTML report: one self-contained file (inline CSS, JS, SVG; no network, works from file://).
 * Templates are handlebars files under reports/html/templates/, handed in by the caller as text so
 * this module stays pure (`(result, ctx) => string`); cli/ loads them from the package folder.
 *
 * Safety: everything is rendered server-side and handlebars escapes every `{{value}}`; the only raw
 * HTML inserted is markdown-it output with raw HTML disabled and unsafe link schemes rejected, plus
 * numbers and SVG geometry computed here. The one inline script is static (no scan data in it) and
 * a Content-Security-Policy allows only that script's hash, so even a rendering bug could not run a
 * script smuggled in through scanned code.
 */
import { createHash } from 'node:crypto';
import Handlebars from 'handlebars';
import MarkdownIt from 'markdown-it';
import { CONCERN_INFO, CONCERNS, SEVERITIES, type Concern, type Finding, type RuleMeta, type ScanResult, type Severity } from '../../core/index.js';

export interface HtmlContext {
  /** template name (file name without .hbs) → text; must include `report`, the others are partials */
  templates: Record<string, string>;
  /** ISO timestamp shown as the report date; defaults to the scan's startedAt */
  generatedAt?: string;
}

const md = new MarkdownIt({ html: false, linkify: false, typographer: false });
const defaultLink = md.renderer.rules.link_open ?? ((tokens, idx, options, _env, self) => self.renderToken(tokens, idx, options));
md.renderer.rules.link_open = (tokens, idx, options, env, self) => {
  tokens[idx]!.attrSet('rel', 'noopener noreferrer');
  tokens[idx]!.attrSet('target', '_blank');
  return defaultLink(tokens, idx, options, env, self);
};

/** Safe Markdown → HTML: raw HTML in the source is shown as text, javascript:/data: links are dropped. */
export function renderMarkdownSafe(text: string): string {
  return md.render(text);
}

const SEVERITY_COLOR: Record<Severity, string> = { mandatory: '#c62828', potential: '#ef6c00', optional: '#78909c' };
const GRADE_COLOR: Record<string, string> = { A: '#2e7d32', B: '#558b2f', C: '#f9a825', D: '#ef6c00', E: '#d84315', F: '#c62828', 'N/A': '#78909c' };

interface Bar {
  label: string;
  fullLabel: string;
  valueText: string;
  y: number;
  width: number;
  color: string;
  textY: number;
  valueX: number;
}

/** Horizontal bar chart geometry (inline SVG, so it prints and needs no script). */
function barChart(title: string, items: Array<{ label: string; value: number; valueText?: string; color: string }>) {
  const rowH = 22;
  const labelW = 150;
  const plotW = 180;
  const max = Math.max(1, ...items.map((i) => i.value));
  const bars: Bar[] = items.map((item, i) => {
    const width = item.value > 0 ? Math.max(2, Math.round((item.value / max) * plotW)) : 0;
    return {
      label: item.label.length > 24 ? `${item.label.slice(0, 23)}…` : item.label,
      fullLabel: item.label,
      valueText: item.valueText ?? String(item.value),
      y: i * rowH + 4,
      width,
      color: item.color,
      textY: i * rowH + 17,
      valueX: labelW + width + 6,
    };
  });
  return { title, bars, labelW, height: Math.max(rowH, items.length * rowH + 6), width: labelW + plotW + 50 };
}

function gauge(score: number | null | undefined, grade: string) {
  // A 240° arc; the filled part is proportional to the score.
  const r = 70;
  const circumference = 2 * Math.PI * r;
  const arc = (circumference * 240) / 360;
  const filled = score === null || score === undefined ? 0 : (arc * score) / 100;
  return { r, arc: arc.toFixed(1), gap: (circumference - arc).toFixed(1), filled: filled.toFixed(1), rest: (circumference - filled).toFixed(1), color: GRADE_COLOR[grade] ?? '#78909c' };
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

function worstSeverity(bySeverity: Record<Severity, number>): Severity {
  return SEVERITIES.find((s) => bySeverity[s] > 0) ?? 'optional';
}

function formatDuration(ms: number | undefined): string {
  if (ms === undefined) return '—';
  return ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(1)} s`;
}

function findingView(f: Finding, rule: RuleMeta | undefined, remediationHtml: (r: string) => string) {
  const ctx = f.context ?? { startLine: f.line, lines: f.snippet.split('\n') };
  const lines = ctx.lines.map((text, i) => {
    const n = ctx.startLine + i;
    return { n, text, hl: n >= f.line && n <= f.endLine };
  });
  return {
    id: f.id,
    file: f.file,
    line: f.line,
    column: f.column,
    ruleId: f.ruleId,
    ruleTitle: rule?.title ?? f.ruleId,
    concern: f.concern,
    concernTitle: CONCERN_INFO[f.concern].title,
    severity: f.severity,
    effort: f.effort,
    message: f.message,
    lines,
    remediationHtml: remediationHtml(f.remediation),
    links: rule?.links ?? [],
    generates: rule?.generates ?? CONCERN_INFO[f.concern].generates ?? null,
    suppressed: f.suppressed ?? null,
    isNew: f.isNew === true,
    state: f.suppressed ? 'suppressed' : 'active',
  };
}

export function buildHtmlView(result: ScanResult, generatedAt?: string) {
  const s = result.summary;
  const rulesById = new Map(result.rules.map((r) => [r.id, r]));
  // Remediation is per rule: render each distinct text once, not once per finding.
  const mdCache = new Map<string, string>();
  const remediationHtml = (text: string) => {
    let html = mdCache.get(text);
    if (html === undefined) mdCache.set(text, (html = renderMarkdownSafe(text)));
    return html;
  };
  const appName = result.root.split('/').filter(Boolean).pop() ?? result.root;
  const grade = String(s.grade ?? 'N/A');
  const concerns = (s.concerns ?? []).map((c) => ({
    ...c,
    ...CONCERN_INFO[c.concern],
    generates: CONCERN_INFO[c.concern].generates ?? null,
    worst: worstSeverity(c.bySeverity),
  }));
  const files: Array<{ file: string; count: number; findings: ReturnType<typeof findingView>[] }> = [];
  for (const f of result.findings) {
    const last = files[files.length - 1];
    const view = findingView(f, rulesById.get(f.ruleId), remediationHtml);
    if (last && last.file === f.file) {
      last.findings.push(view);
      last.count += 1;
    } else files.push({ file: f.file, count: 1, findings: [view] });
  }
  const presentConcerns = CONCERNS.filter((c) => result.findings.some((f) => f.concern === c));
  const date = generatedAt ?? result.startedAt;
  return {
    appName,
    root: result.root,
    version: result.tool.version,
    date: date ? date.replace('T', ' ').replace(/\.\d+Z$|Z$/, ' UTC') : '—',
    files: s.files,
    duration: formatDuration(result.durationMs),
    score: s.score ?? null,
    insufficient: s.score === null || s.score === undefined,
    grade,
    gradeCap: s.gradeCap ?? null,
    gauge: gauge(s.score, grade),
    effort: s.effort ?? null,
    findings: s.findings,
    bySeverity: SEVERITIES.map((sev) => ({ severity: sev, count: s.bySeverity[sev] })),
    suppressed: s.suppressed ?? 0,
    newFindings: s.newFindings ?? null,
    status: [
      s.newFindings !== undefined ? { text: `${s.newFindings} new since the baseline`, strong: true } : null,
      s.suppressed ? { text: `${s.suppressed} suppressed inline` } : null,
      result.errors.length > 0 ? { text: plural(result.errors.length, 'error'), href: '#errors' } : null,
      result.skipped.length > 0 ? { text: `${plural(result.skipped.length, 'file')} skipped`, href: '#skipped' } : null,
      result.notices.length > 0 ? { text: plural(result.notices.length, 'notice'), href: '#notices' } : null,
    ].filter((x) => x !== null),
    concerns,
    charts: [
      barChart('Findings by concern', concerns.map((c) => ({ label: c.title, value: c.findings, color: SEVERITY_COLOR[c.worst] }))),
      barChart('Effort by concern (story points)', concerns.map((c) => ({ label: c.title, value: c.points, color: '#3949ab' }))),
      barChart('Findings by severity', SEVERITIES.map((sev) => ({ label: sev, value: s.bySeverity[sev], color: SEVERITY_COLOR[sev] }))),
    ],
    fileGroups: files,
    totalListed: result.findings.length,
    concernOptions: presentConcerns.map((c) => ({ id: c, title: CONCERN_INFO[c].title })),
    severityOptions: SEVERITIES.filter((sev) => result.findings.some((f) => f.severity === sev)),
    skipped: result.skipped,
    errors: result.errors,
    notices: result.notices,
  };
}

const compiled = new Map<string, { hb: typeof Handlebars; template: Handlebars.TemplateDelegate }>();

function compile(templates: Record<string, string>) {
  const key = Object.entries(templates)
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([k, v]) => `${k}\0${v}`)
    .join('\0\0');
  const hit = compiled.get(key);
  if (hit) return hit;
  const main = templates.report;
  if (main === undefined) throw new Error('HTML report: the "report" template is missing');
  const hb = Handlebars.create();
  // script and styles are inserted verbatim, not as partials (see renderHtml).
  for (const [name, text] of Object.entries(templates)) if (!['report', 'script', 'styles'].includes(name)) hb.registerPartial(name, text);
  hb.registerHelper('plural', (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`);
  hb.registerHelper('eq', (a: unknown, b: unknown) => a === b);
  const entry = { hb, template: hb.compile(main, { strict: false, noEscape: false }) };
  compiled.set(key, entry);
  return entry;
}

export function renderHtml(result: ScanResult, ctx: HtmlContext): string {
  const { template } = compile(ctx.templates);
  const script = ctx.templates.script ?? '';
  const scriptHash = createHash('sha256').update(script).digest('base64');
  // Inserted raw (triple-stash) so the bytes match the CSP hash exactly.
  return template({ ...buildHtmlView(result, ctx.generatedAt), script, styles: ctx.templates.styles ?? '', scriptHash }, { allowProtoPropertiesByDefault: false });
}
