/**
 * Console summary. Colour is decided by the caller (chalk's own detection honours NO_COLOR and
 * non-TTY streams); this module only formats.
 */
import { Chalk, type ChalkInstance } from 'chalk';
import type { ScanResult, Severity } from '../core/index.js';

export function renderText(result: ScanResult, options: { color: boolean }): string {
  const c: ChalkInstance = new Chalk({ level: options.color ? 1 : 0 });
  const sev: Record<Severity, (s: string) => string> = { mandatory: c.red, potential: c.yellow, optional: c.gray };
  const out: string[] = [];
  out.push(c.bold(`paasport ${result.tool.version} — ${result.root}`));
  const s = result.summary;
  out.push(`${s.files} files analyzed, ${s.findings} findings (${sev.mandatory(`${s.bySeverity.mandatory} mandatory`)}, ${sev.potential(`${s.bySeverity.potential} potential`)}, ${sev.optional(`${s.bySeverity.optional} optional`)})`);
  if (typeof s.score === 'number') out.push(`readiness score ${c.bold(String(s.score))}/100, grade ${c.bold(String(s.grade))}${s.gradeCap ? ` (${s.gradeCap})` : ''}`);
  else if (s.score === null) out.push('readiness score: insufficient data (no supported source file was analyzed)');
  if (s.effort) out.push(`estimated effort ${s.effort.points} story points ≈ ${s.effort.days} person-days (${s.effort.daysPerPoint} days/point)`);
  if (s.newFindings !== undefined) out.push(`${s.newFindings} new since the baseline`);
  if (s.suppressed) out.push(c.dim(`${s.suppressed} suppressed inline (listed in the JSON, HTML and SARIF reports)`));
  out.push('');
  let lastFile = '';
  for (const f of result.findings) {
    if (f.suppressed) continue;
    if (f.file !== lastFile) {
      out.push(c.underline(f.file));
      lastFile = f.file;
    }
    out.push(`  ${String(f.line).padStart(5)}:${String(f.column).padEnd(3)} ${sev[f.severity](f.severity.padEnd(9))} ${c.cyan(f.concern.padEnd(22))} ${f.isNew ? c.bold('[new] ') : ''}${f.message} ${c.dim(f.ruleId)}`);
  }
  if (result.findings.length > 0) out.push('');
  const concerns = Object.entries(s.byConcern);
  if (concerns.length > 0) {
    out.push(c.bold('By concern'));
    for (const [concern, n] of concerns) out.push(`  ${concern.padEnd(24)} ${n}`);
    out.push('');
  }
  if (result.skipped.length > 0) {
    out.push(c.bold(`Skipped (${result.skipped.length})`));
    for (const k of result.skipped) out.push(`  ${k.file}: ${k.reason}`);
    out.push('');
  }
  if (result.errors.length > 0) {
    out.push(c.bold(`Errors (${result.errors.length})`));
    for (const e of result.errors) out.push(`  ${e.file}${e.line ? `:${e.line}` : ''}: ${e.message}`);
    out.push('');
  }
  if (result.notices.length > 0) {
    out.push(c.bold(`Notices (${result.notices.length})`));
    for (const n of result.notices) out.push(`  ${n.file}: ${n.message}`);
    out.push('');
  }
  return `${out.join('\n')}\n`;
}
