/**
 * The `ops` analyzer: load-balancer, web-server and scheduler config that sits next to legacy apps
 * (nginx, HAProxy, Apache httpd, F5 BIG-IP tmsh config and iRules, NetScaler ns.conf, crontab),
 * each reduced to directives with their words, enclosing blocks and line (see parse.ts).
 * mod_jk's workers.properties is a properties file and belongs to the properties analyzer.
 *
 * match:
 *   analyzer: ops
 *   format: 'nginx|haproxy'      # regex on the detected format (nginx, bigip, irule, haproxy, apache, netscaler, crontab)
 *   directive: 'ip_hash'         # regex, anchored, on the directive's first word
 *   args: '^\$remote_addr\b'     # regex on the directive's remaining words joined by single spaces
 *   argsNot: 'regex'
 *   within: '^upstream\b'        # regex that some enclosing block header must match
 *   line / lineNot               # alternative: raw line rule (lines starting with # skipped)
 *   flags: 'i'                   # default 'i'
 */
import type { Analyzer, AnalyzerRule, FileAnalysis, Match, SourceFile } from '../../core/index.js';
import { addLineRuleMatches, checkRegexFields, compileFields, compiledPerMatch, groups, physicalLines } from '../common/match.js';
import { detectFormat, handlesPath, parseOps, type Directive } from './parse.js';

export { detectFormat, parseOps, type Directive, type OpsFormat } from './parse.js';

const KNOWN = new Set(['analyzer', 'tokens', 'files', 'scope', 'format', 'directive', 'args', 'argsNot', 'within', 'line', 'lineNot', 'flags']);
const REGEX_FIELDS = ['format', 'directive', 'args', 'argsNot', 'within', 'line', 'lineNot'] as const;
// A directive or format names the whole word: `listen` must not match `listen_backlog`.
const compile = compiledPerMatch((match, flags) => compileFields(match, REGEX_FIELDS, flags, (f, v) => (f === 'directive' || f === 'format' ? `^(?:${v})$` : v)));

export const opsAnalyzer: Analyzer = {
  id: 'ops',
  description: 'nginx, HAProxy, Apache httpd, F5 BIG-IP config and iRules, NetScaler ns.conf and crontab: directives at their exact lines',
  exampleFile: 'nginx.conf',
  handles: handlesPath,
  validate(match) {
    const problems: Array<[string, string]> = [];
    for (const k of Object.keys(match)) if (!KNOWN.has(k)) problems.push([`match.${k}`, 'unknown key for the ops analyzer']);
    checkRegexFields(problems, match, REGEX_FIELDS);
    if (match.line === undefined && match.directive === undefined) problems.push(['match', 'needs directive or line']);
    if (match.line !== undefined && (match.directive !== undefined || match.args !== undefined || match.within !== undefined)) {
      problems.push(['match.line', 'a line rule cannot also match directives']);
    }
    return problems;
  },
  analyze(file: SourceFile, rules: AnalyzerRule[]): FileAnalysis {
    const format = detectFormat(file.path, file.text);
    if (!format) return { matches: [] };
    let directives: Directive[] | undefined;
    let rawLines: string[] | undefined;
    const matches: Match[] = [];
    for (const rule of rules) {
      const c = compile(rule.match);
      if (c.format && !c.format.test(format)) continue;
      if (c.line) {
        rawLines ??= physicalLines(file.text);
        addLineRuleMatches(matches, rawLines, rule.id, /^\s*#/, c.line, c.lineNot, { kind: format });
        continue;
      }
      directives ??= parseOps(file.text, format);
      for (const d of directives) {
        if (c.directive && !c.directive.test(d.name)) continue;
        const args = d.args.join(' ');
        let am: RegExpExecArray | null = null;
        if (c.args && !(am = c.args.exec(args))) continue;
        if (c.argsNot?.test(args)) continue;
        if (c.within && !d.context.some((h) => c.within!.test(h))) continue;
        matches.push({ ruleId: rule.id, line: d.line, column: d.column, captures: { key: d.name, value: args.slice(0, 200), kind: format, ...groups(am) } });
      }
    }
    return { matches };
  },
};
