/**
 * A short Markdown summary for pull-request comments and `$GITHUB_STEP_SUMMARY`: score, effort, a
 * table by concern and the findings that matter for the gate (new ones first when a baseline is in
 * use). Capped in length: GitHub limits a step summary to 1 MiB and a comment to 65,536 characters.
 * Text from scanned code is escaped so it cannot inject Markdown or HTML.
 */
import { CONCERN_INFO, type Finding, type ScanResult } from '../core/index.js';

export const MARKDOWN_MAX_FINDINGS = 50;

/** Escapes text for a Markdown table cell or paragraph. */
export function mdText(s: string): string {
  return s
    .replace(/\r?\n/g, ' ')
    .replace(/[\\`*_{}[\]()#+!|~>]/g, (c) => `\\${c}`)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;');
}

/** An inline code span that survives backticks inside (CommonMark: a longer fence). */
export function mdCode(s: string): string {
  const one = s.replace(/\r?\n/g, ' ').replace(/\|/g, '\\|');
  const runs = one.match(/`+/g) ?? [];
  const fence = '`'.repeat(Math.max(0, ...runs.map((r) => r.length)) + 1);
  const pad = one.startsWith('`') || one.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${one}${pad}${fence}`;
}

const SEVERITY_ICON = { mandatory: '🔴', potential: '🟠', optional: '⚪' } as const;

function findingLine(f: Finding): string {
  const isNew = f.isNew === true ? ' **new**' : '';
  return `| ${SEVERITY_ICON[f.severity]} ${f.severity}${isNew} | ${mdCode(`${f.file}:${f.line}`)} | ${mdText(f.message)} | ${mdCode(f.ruleId)} |`;
}

export function renderMarkdown(result: ScanResult): string {
  const s = result.summary;
  const out: string[] = [];
  out.push(`## paasport readiness: ${s.score === null || s.score === undefined ? 'insufficient data' : `${s.score}/100, grade ${String(s.grade)}`}`);
  out.push('');
  if (s.score === null) out.push('> No supported source file was analyzed, so there is no score (not a perfect one).\n');
  if (s.gradeCap) out.push(`> Grade ${mdText(s.gradeCap)}.\n`);
  const effort = s.effort ? `, estimated effort **${s.effort.points} points ≈ ${s.effort.days} person-days** (${s.effort.daysPerPoint} days/point)` : '';
  out.push(`**${s.findings}** findings in ${s.files} files — ${s.bySeverity.mandatory} mandatory, ${s.bySeverity.potential} potential, ${s.bySeverity.optional} optional${effort}.`);
  const extras: string[] = [];
  if (s.newFindings !== undefined) extras.push(`**${s.newFindings} new** since the baseline`);
  if (s.suppressed) extras.push(`${s.suppressed} suppressed inline`);
  if (result.errors.length > 0) extras.push(`${result.errors.length} errors`);
  if (result.skipped.length > 0) extras.push(`${result.skipped.length} files skipped`);
  if (extras.length > 0) out.push(`${extras.join(' · ')}.`);
  out.push('');

  const concerns = s.concerns ?? [];
  if (concerns.length > 0) {
    out.push('| concern | findings | mandatory | potential | optional | effort (points) | days |');
    out.push('|---|--:|--:|--:|--:|--:|--:|');
    for (const c of concerns) {
      out.push(`| ${CONCERN_INFO[c.concern].title} | ${c.findings} | ${c.bySeverity.mandatory} | ${c.bySeverity.potential} | ${c.bySeverity.optional} | ${c.points} | ${c.days} |`);
    }
    out.push('');
  }

  const active = result.findings.filter((f) => !f.suppressed);
  // With a baseline, the new findings are what a reviewer must look at.
  const shown = [...active.filter((f) => f.isNew === true), ...active.filter((f) => f.isNew !== true)];
  if (shown.length > 0) {
    out.push('<details><summary>Findings</summary>');
    out.push('');
    out.push('| severity | location | message | rule |');
    out.push('|---|---|---|---|');
    for (const f of shown.slice(0, MARKDOWN_MAX_FINDINGS)) out.push(findingLine(f));
    if (shown.length > MARKDOWN_MAX_FINDINGS) out.push(`| | | … and ${shown.length - MARKDOWN_MAX_FINDINGS} more (see the HTML or SARIF report) | |`);
    out.push('');
    out.push('</details>');
    out.push('');
  }
  out.push(`<sub>paasport ${mdText(result.tool.version)} · score model: docs/scoring.md</sub>`);
  return `${out.join('\n')}\n`;
}
