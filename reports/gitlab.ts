/**
 * GitLab Code Quality report (artifacts:reports:codequality): a JSON array GitLab shows in merge
 * requests. GitLab has no notion of a suppression, so suppressed findings are emitted as `info` with
 * the reason in the description rather than dropped (the list stays complete and greppable).
 */
import type { Finding, ScanResult } from '../core/index.js';

export type GitlabSeverity = 'blocker' | 'critical' | 'major' | 'minor' | 'info';

/** mandatory work of effort ≥ 8 is a blocker; the rest of mandatory critical; potential major; optional minor */
export function gitlabSeverity(f: Finding): GitlabSeverity {
  if (f.suppressed) return 'info';
  if (f.severity === 'mandatory') return f.effort >= 8 ? 'blocker' : 'critical';
  return f.severity === 'potential' ? 'major' : 'minor';
}

export function renderGitlab(result: ScanResult): string {
  const issues = result.findings.map((f) => {
    const tags = [f.isNew === true ? '[new] ' : '', f.suppressed ? `[suppressed: ${f.suppressed.reason}] ` : ''].join('');
    return {
      type: 'issue',
      check_name: f.ruleId,
      description: `${tags}${f.message}`,
      content: { body: f.remediation },
      categories: ['Compatibility'],
      fingerprint: f.id,
      severity: gitlabSeverity(f),
      location: { path: f.file, lines: { begin: f.line, end: f.endLine } },
    };
  });
  return `${JSON.stringify(issues, null, 2)}\n`;
}
