/**
 * Inline suppressions, language-neutral: a directive is recognised in any comment syntax the
 * scanned files use (`//`, `/* … *\/`, `*` Javadoc lines, `#` in properties/YAML/shell, `<!-- -->`
 * in XML), so every analyzer gets them for free and none has to parse comments for it.
 *
 *   code();  // paasport-ignore <rule-id|concern>[, …] -- <reason>      same line
 *   // paasport-ignore-next-line <rule-id|concern>[, …] -- <reason>     the line below
 *   <!-- paasport-ignore <rule-id|concern>: <reason> -->                 XML (no `--` in comments)
 *
 * A suppressed finding stays in the result, marked `suppressed`, and no longer counts for the score
 * or the gate. A directive without a reason or a target suppresses nothing and is reported in the
 * result's `errors` (with its line), so a suppression always leaves a justification in the code.
 */
import type { FileError, Finding } from '../model.js';

export const SUPPRESS_TOKEN = 'paasport-ignore';

export interface Directive {
  /** 1-based line the directive is written on */
  line: number;
  /** the line it applies to */
  appliesTo: number;
  targets: string[];
  reason: string;
}

/**
 * `<targets> -- <reason>`; `:` or `—` also separate the reason, because XML forbids `--` inside a
 * comment (`<!-- paasport-ignore host-bound-config: LDAP goes away in 3.0 -->`).
 */
const BODY = /^\s*([\w./@-]+(?:\s*,\s*[\w./@-]+)*)?\s*(?:(?:--|:|\u2014)\s*(.*))?$/;
const DIRECTIVE = /(?:\/\/|\/\*|<!--|#|^\s*\*)\s*paasport-ignore(-next-line)?(?=\s|$|\*\/|-->)(.*)$/;

export interface ParsedDirectives {
  directives: Directive[];
  problems: Array<{ line: number; message: string }>;
}

/** Every directive of a file (lines are 1-based); malformed ones become problems. */
export function parseDirectives(lines: readonly string[], isKnownTarget: (target: string) => boolean): ParsedDirectives {
  const directives: Directive[] = [];
  const problems: Array<{ line: number; message: string }> = [];
  for (let i = 0; i < lines.length; i++) {
    const text = lines[i]!;
    if (!text.includes(SUPPRESS_TOKEN)) continue;
    const m = DIRECTIVE.exec(text);
    if (!m) continue;
    const nextLine = m[1] !== undefined;
    const name = `${SUPPRESS_TOKEN}${nextLine ? '-next-line' : ''}`;
    const body = m[2]!.replace(/\s*(?:\*\/|-->)\s*$/, '');
    const parsed = BODY.exec(body);
    if (!parsed) {
      problems.push({ line: i + 1, message: `${name}: cannot read "${body.trim()}"; nothing suppressed (write: ${name} <rule-id|concern> -- <reason>)` });
      continue;
    }
    const targets = (parsed?.[1] ?? '').split(/[\s,]+/).filter(Boolean);
    const reason = (parsed?.[2] ?? '').trim();
    if (targets.length === 0) {
      problems.push({ line: i + 1, message: `${name} names no rule id or concern; nothing suppressed (write: ${name} <rule-id|concern> -- <reason>)` });
      continue;
    }
    if (!reason) {
      problems.push({ line: i + 1, message: `${name} ${targets.join(', ')} has no reason; nothing suppressed (add: -- <why this is acceptable>)` });
      continue;
    }
    const unknown = targets.filter((t) => !isKnownTarget(t));
    if (unknown.length > 0) problems.push({ line: i + 1, message: `${name}: ${unknown.join(', ')} is not a known rule id or concern` });
    directives.push({ line: i + 1, appliesTo: nextLine ? i + 2 : i + 1, targets, reason });
  }
  return { directives, problems };
}

/**
 * Marks the findings of one file that a directive covers. Returns new Finding objects for the
 * suppressed ones and the directive problems as file errors.
 */
export function applySuppressions(
  file: string,
  lines: readonly string[],
  findings: readonly Finding[],
  isKnownTarget: (target: string) => boolean,
): { findings: Finding[]; errors: FileError[] } {
  // Cheap exit: almost no file carries a directive.
  if (!lines.some((l) => l.includes(SUPPRESS_TOKEN))) return { findings: [...findings], errors: [] };
  const { directives, problems } = parseDirectives(lines, isKnownTarget);
  const out = findings.map((f) => {
    const d = directives.find((x) => x.appliesTo === f.line && (x.targets.includes(f.ruleId) || x.targets.includes(f.concern)));
    if (!d) return f;
    const target = d.targets.includes(f.ruleId) ? f.ruleId : f.concern;
    return { ...f, suppressed: { kind: 'inline' as const, reason: d.reason, target, line: d.line } };
  });
  return { findings: out, errors: problems.map((p) => ({ file, line: p.line, message: p.message })) };
}
