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
import type HandlebarsNs from 'handlebars';
import type MarkdownItClass from 'markdown-it';
import { CONCERN_INFO, CONCERNS, lazyRequire, once, SEVERITIES, type Concern, type Finding, type RuleMeta, type ScanResult, type Severity } from '../../core/index.js';

export interface HtmlContext {
  /** template name (file name without .hbs) → text; must include `report`, the others are partials */
  templates: Record<string, string>;
  /** ISO timestamp shown as the report date; defaults to the scan's startedAt */
  generatedAt?: string;
}

// Handlebars and markdown-it are loaded when an HTML report is rendered, not whenever reports/
// is imported: a JSON or SARIF run in CI never needs them.
const Handlebars = lazyRequire<typeof HandlebarsNs>('handlebars');

const markdown = once((): InstanceType<typeof MarkdownItClass> => {
  const MarkdownIt = lazyRequire<typeof MarkdownItClass>('markdown-it')();
  const m = new MarkdownIt({ html: false, linkify: false, typographer: false });
  const defaultLink = m.renderer.rules.link_open ?? ((tokens, idx, options, _env, self) => self.renderToken(tokens, idx, options));
  m.renderer.rules.link_open = (tokens, idx, options, env, self) => {
    tokens[idx]!.attrSet('rel', 'noopener noreferrer');
    tokens[idx]!.attrSet('target', '_blank');
    return defaultLink(tokens, idx, options, env, self);
  };
  return m;
});

/** Safe Markdown → HTML: raw HTML in the source is shown as text, javascript:/data: links are dropped. */
export function renderMarkdownSafe(text: string): string {
  return markdown().render(text);
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
  const labelW = 170;
  const plotW = 170;
  const max = Math.max(1, ...items.map((i) => i.value));
  const bars: Bar[] = items.map((item, i) => {
    const width = item.value > 0 ? Math.max(2, Math.round((item.value / max) * plotW)) : 0;
    return {
      label: item.label.length > 25 ? `${item.label.slice(0, 24)}…` : item.label,
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

/**
 * Per-finding detail (code context, remediation, links, generate) is rendered by the browser when a
 * finding is opened (or before printing), from an inert JSON block: a 5,000-finding report then
 * builds ~35k DOM nodes at load instead of ~150k. The JSON has `<`, `>` and `&` escaped as \u003c…
 * so no text inside it can close the <script type="application/json"> element, and the script
 * inserts scanned text only with textContent. Remediation HTML is rendered here (markdown-it, raw
 * HTML off) once per distinct text, into <template> elements.
 */
export function safeJsonForHtml(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

function safeUrl(url: string): string | null {
  return /^(https?:|mailto:|\.{0,2}\/|#)/i.test(url.trim()) ? url : null;
}

function findingView(f: Finding, index: number) {
  return {
    index,
    id: f.id,
    line: f.line,
    ruleId: f.ruleId,
    concern: f.concern,
    concernTitle: CONCERN_INFO[f.concern].title,
    severity: f.severity,
    message: f.message,
    suppressed: f.suppressed ?? null,
    isNew: f.isNew === true && !f.suppressed,
    state: f.suppressed ? 'suppressed' : 'active',
  };
}

/** What the browser needs to render one finding's detail (short keys: this is per finding). */
function findingDetail(f: Finding, ruleIndex: number, remediationIndex: number) {
  const ctx = f.context ?? { startLine: f.line, lines: f.snippet.split('\n') };
  const d: Record<string, unknown> = { s: ctx.startLine, l: ctx.lines, h: [f.line, f.endLine], r: ruleIndex, m: remediationIndex };
  if (f.suppressed) d.x = f.suppressed.target ? `${f.suppressed.reason} (${f.suppressed.target})` : f.suppressed.reason;
  return d;
}

export function buildHtmlView(result: ScanResult, generatedAt?: string) {
  const s = result.summary;
  // Remediation is per rule: render each distinct text once, not once per finding.
  const remediations: string[] = [];
  const remediationIndex = new Map<string, number>();
  const remediationOf = (text: string) => {
    let i = remediationIndex.get(text);
    if (i === undefined) {
      i = remediations.push(renderMarkdownSafe(text)) - 1;
      remediationIndex.set(text, i);
    }
    return i;
  };
  const ruleIndex = new Map(result.rules.map((r, i) => [r.id, i]));
  const ruleData = result.rules.map((r) => ({
    t: r.title,
    e: r.effort,
    g: r.generates ?? CONCERN_INFO[r.concern].generates ?? null,
    k: r.links.map((l) => ({ t: l.title, u: safeUrl(l.url) })).filter((l) => l.u !== null),
  }));
  const appName = result.root.split('/').filter(Boolean).pop() ?? result.root;
  const grade = String(s.grade ?? 'N/A');
  const concerns = (s.concerns ?? []).map((c) => ({
    ...c,
    ...CONCERN_INFO[c.concern],
    generates: CONCERN_INFO[c.concern].generates ?? null,
    worst: worstSeverity(c.bySeverity),
  }));
  const files: Array<{ file: string; count: number; findings: ReturnType<typeof findingView>[] }> = [];
  const details: unknown[] = [];
  result.findings.forEach((f, i) => {
    const last = files[files.length - 1];
    let ri = ruleIndex.get(f.ruleId);
    if (ri === undefined) {
      // A finding whose rule is not in result.rules (hand-edited JSON): describe it from the finding.
      ri = ruleData.push({ t: f.ruleId, e: f.effort, g: CONCERN_INFO[f.concern].generates ?? null, k: [] }) - 1;
      ruleIndex.set(f.ruleId, ri);
    }
    details.push(findingDetail(f, ri, remediationOf(f.remediation)));
    const view = findingView(f, i);
    if (last && last.file === f.file) {
      last.findings.push(view);
      last.count += 1;
    } else files.push({ file: f.file, count: 1, findings: [view] });
  });
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
    remediations: remediations.map((html, i) => ({ i, html })),
    dataJson: safeJsonForHtml({ rules: ruleData, findings: details }),
    totalListed: result.findings.length,
    concernOptions: presentConcerns.map((c) => ({ id: c, title: CONCERN_INFO[c].title })),
    severityOptions: SEVERITIES.filter((sev) => result.findings.some((f) => f.severity === sev)),
    skipped: result.skipped,
    errors: result.errors,
    notices: result.notices,
  };
}

const compiled = new Map<string, { hb: typeof HandlebarsNs; template: HandlebarsNs.TemplateDelegate }>();

function compile(templates: Record<string, string>) {
  const key = Object.entries(templates)
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([k, v]) => `${k}\0${v}`)
    .join('\0\0');
  const hit = compiled.get(key);
  if (hit) return hit;
  const main = templates.report;
  if (main === undefined) throw new Error('HTML report: the "report" template is missing');
  const hb = Handlebars().create();
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
