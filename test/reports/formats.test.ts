/** SARIF (schema-validated), GitLab code quality, Markdown and the HTML report's server-side escaping. */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Ajv } from 'ajv';
import AjvDraft04 from 'ajv-draft-04';
import addFormats from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { applyBaseline, SEVERITIES } from '../../core/index.js';
import { FINGERPRINT_KEY, gitlabSeverity, renderGitlab, renderHtml, renderMarkdown, renderMarkdownSafe, renderReport, renderSarif, SARIF_LEVEL } from '../../reports/index.js';
import { REPO_ROOT } from '../helpers.js';
import { htmlTemplates, INJECTION, syntheticResult, variedResult } from './synthetic.js';

const SARIF_SCHEMA = path.resolve(REPO_ROOT, '../shared/schemas/sarif-schema-2.1.0.json');

let cached: ReturnType<InstanceType<typeof AjvDraft04>['compile']> | undefined;
function sarifValidator() {
  if (cached) return cached;
  if (!existsSync(SARIF_SCHEMA)) {
    throw new Error(`SARIF schema missing at ${SARIF_SCHEMA}: CI must clone shared/ beside the repo (../shared/schemas/sarif-schema-2.1.0.json)`);
  }
  const ajv = new AjvDraft04({ allErrors: true, strict: false });
  addFormats(ajv);
  cached = ajv.compile(JSON.parse(readFileSync(SARIF_SCHEMA, 'utf8')));
  return cached;
}

describe('SARIF 2.1.0', () => {
  const result = variedResult();
  const log = JSON.parse(renderSarif(result));

  it('validates against the official schema', () => {
    const validate = sarifValidator();
    const ok = validate(log);
    expect(validate.errors ?? []).toEqual([]);
    expect(ok).toBe(true);
  });

  it('the validator rejects a broken log (the check can fail)', () => {
    const validate = sarifValidator();
    const broken = structuredClone(log);
    broken.runs[0].results[0].level = 'fatal';
    expect(validate(broken)).toBe(false);
  });

  it('has one run whose driver carries full rule metadata', () => {
    expect(log.version).toBe('2.1.0');
    expect(log.runs).toHaveLength(1);
    const driver = log.runs[0].tool.driver;
    expect(driver.name).toBe('paasport');
    expect(driver.rules.map((r: { id: string }) => r.id)).toEqual(result.rules.map((r) => r.id));
    for (const [i, meta] of result.rules.entries()) {
      const r = driver.rules[i];
      expect(r.shortDescription.text).toBe(meta.title);
      expect(r.fullDescription.text.length).toBeGreaterThan(0);
      expect(r.help.markdown).toContain(meta.remediation);
      expect(r.help.text).toContain(meta.message);
      expect(r.helpUri).toBe(meta.links[0]!.url);
      expect(r.name).toMatch(/^[A-Z][A-Za-z0-9]*$/);
      expect(r.properties.tags).toEqual(expect.arrayContaining([meta.concern, meta.severity]));
      expect(r.defaultConfiguration.level).toBe(SARIF_LEVEL[meta.severity]);
    }
  });

  it('maps every finding to a result with level, location, snippet and fingerprint', () => {
    const results = log.runs[0].results;
    expect(results).toHaveLength(result.findings.length);
    for (const [i, f] of result.findings.entries()) {
      const r = results[i];
      expect(r.ruleId).toBe(f.ruleId);
      expect(log.runs[0].tool.driver.rules[r.ruleIndex].id).toBe(f.ruleId);
      expect(r.level).toBe({ mandatory: 'error', potential: 'warning', optional: 'note' }[f.severity]);
      expect(r.message.text).toBe(f.message);
      const loc = r.locations[0].physicalLocation;
      expect(loc.artifactLocation).toEqual({ uri: f.file, uriBaseId: '%SRCROOT%' });
      expect(loc.region).toMatchObject({ startLine: f.line, startColumn: f.column, endLine: f.endLine, snippet: { text: f.snippet } });
      expect(r.partialFingerprints[FINGERPRINT_KEY]).toBe(f.id);
      expect(Boolean(r.suppressions)).toBe(Boolean(f.suppressed));
    }
    expect(log.runs[0].originalUriBaseIds['%SRCROOT%'].uri).toBe('file:///work/legacy%20app/');
    expect(log.runs[0].invocations[0].toolExecutionNotifications[0].locations[0].physicalLocation.region.startLine).toBe(3);
  });

  it('marks baseline state when a baseline is in use', () => {
    const known = new Set([variedResult().findings[0]!.id]);
    const withBaseline = JSON.parse(renderSarif(applyBaseline(variedResult(), known)));
    expect(withBaseline.runs[0].results.map((r: { baselineState: string }) => r.baselineState)).toEqual(result.findings.map((f) => (known.has(f.id) ? 'unchanged' : 'new')));
    const validate = sarifValidator();
    expect(validate(withBaseline)).toBe(true);
  });
});

describe('JSON report', () => {
  it('validates against reports/schema/report.schema.json, score fields included', () => {
    const ajv = new Ajv({ allErrors: true, strict: false });
    addFormats(ajv);
    const validate = ajv.compile(JSON.parse(readFileSync(path.join(REPO_ROOT, 'reports', 'schema', 'report.schema.json'), 'utf8')));
    const result = applyBaseline(variedResult(), new Set());
    const json = JSON.parse(renderReport('json', result));
    expect(validate(json), JSON.stringify(validate.errors)).toBe(true);
    expect(json.summary).toMatchObject({ score: expect.any(Number), grade: expect.any(String), effort: { daysPerPoint: 0.5 }, newFindings: 5, suppressed: 1 });
    expect(validate({ ...json, summary: { ...json.summary, grade: 'Z' } })).toBe(false);
  });
});

describe('GitLab code quality', () => {
  it('one issue per finding with the fields GitLab reads', () => {
    const result = variedResult();
    const issues = JSON.parse(renderGitlab(result));
    expect(issues).toHaveLength(result.findings.length);
    for (const [i, f] of result.findings.entries()) {
      expect(issues[i]).toMatchObject({ check_name: f.ruleId, fingerprint: f.id, location: { path: f.file, lines: { begin: f.line } } });
      expect(['blocker', 'critical', 'major', 'minor', 'info']).toContain(issues[i].severity);
      expect(issues[i].description).toContain(f.message);
    }
    expect(new Set(issues.map((x: { fingerprint: string }) => x.fingerprint)).size).toBe(issues.length);
  });

  it('severity mapping', () => {
    const f = variedResult().findings;
    const by = (pred: (x: (typeof f)[number]) => boolean) => gitlabSeverity(f.find(pred)!);
    expect(by((x) => x.severity === 'mandatory')).toBe('critical');
    expect(gitlabSeverity({ ...f[0]!, severity: 'mandatory', effort: 8 })).toBe('blocker');
    expect(by((x) => x.severity === 'potential')).toBe('major');
    expect(by((x) => x.severity === 'optional' && !x.suppressed)).toBe('minor');
    expect(by((x) => Boolean(x.suppressed))).toBe('info');
  });
});

describe('Markdown summary', () => {
  const result = variedResult();
  const md = renderMarkdown(result);

  it('shows score, grade, effort and a row per concern', () => {
    expect(md).toContain(`${result.summary.score}/100, grade ${result.summary.grade}`);
    expect(md).toContain(`${result.summary.effort!.points} points`);
    for (const c of result.summary.concerns!) expect(md).toMatch(new RegExp(`\\| [^|]+ \\| ${c.findings} \\| ${c.bySeverity.mandatory} \\|`));
    expect(md).toContain('1 suppressed inline');
  });

  it('escapes scanned text: no raw HTML reaches the comment', () => {
    expect(md).not.toContain('<script>');
    expect(md).not.toContain('<img');
    expect(md).toContain('&lt;/script\\>&lt;script\\>window.\\_\\_pwned=1');
  });

  it('lists new findings first and marks them with a baseline', () => {
    const known = new Set(result.findings.slice(0, 2).map((f) => f.id));
    const out = renderMarkdown(applyBaseline(result, known));
    const rows = out.split('\n').filter((l) => /^\| (🔴|🟠|⚪)/.test(l));
    expect(rows[0]).toContain('**new**');
    expect(rows.at(-1)).not.toContain('**new**');
    expect(out).toMatch(/\*\*\d+ new\*\* since the baseline/);
  });
});

describe('HTML report (server side)', () => {
  const result = variedResult();
  const html = renderHtml(result, { templates: htmlTemplates() });

  it('never emits scanned text as markup', () => {
    expect(html).not.toContain(INJECTION);
    expect(html).not.toContain('<script>window.__pwned');
    expect(html).not.toMatch(/<img src=x/);
    expect(html).toContain('&lt;/script&gt;&lt;script&gt;window.__pwned&#x3D;1&lt;/script&gt;');
    // one executable script (ours) and one inert data block
    expect(html.match(/<script>/g)).toHaveLength(1);
    expect(html.match(/<script\b/g)).toHaveLength(2);
    const data = JSON.parse(/<script type="application\/json" id="paasport-data">([^<]*)<\/script>/.exec(html)![1]!);
    const hostile = result.findings.findIndex((f) => f.file === 'src/A.java' && f.line === 3);
    expect(data.findings[hostile].l).toContain(`  String s = "${INJECTION}";`);
    expect(html).toContain('parse error &lt;b&gt;unclosed&lt;/b&gt;');
  });

  it('renders remediation Markdown without raw HTML or javascript: links', () => {
    expect(html).toContain('<strong>java/local-file-write</strong>');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).not.toMatch(/href="javascript:/i);
    expect(renderMarkdownSafe('[a](javascript:alert(1)) <b>x</b>')).not.toMatch(/<a |<b>/);
  });

  it('is self-contained: no external resource, CSP pins the one script', () => {
    expect(html).not.toMatch(/<link\b|src="https?:|@import|url\(http/);
    const hash = /script-src 'sha256-([^']+)'/.exec(html)![1]!;
    const script = /<script>([\s\S]*)<\/script>/.exec(html)![1]!;
    
    expect(createHash('sha256').update(script).digest('base64')).toBe(hash);
  });

  it('has the header facts, a card per concern, every finding and the skipped/errors/notices sections', () => {
    expect(html).toContain('0.0.0-test');
    expect(html).toContain('2026-01-02 03:04:05 UTC');
    expect(html).toContain('1.2 s');
    for (const c of result.summary.concerns!) expect(html).toContain(`data-concern="${c.concern}" tabindex="0"`);
    expect(html.match(/<div class="finding /g)).toHaveLength(result.findings.length);
    expect(html).toContain('id="skipped"');
    expect(html).toContain('id="errors"');
    expect(html).toContain('id="notices"');
    const data = JSON.parse(/id="paasport-data">([^<]*)</.exec(html)![1]!);
    expect(data.findings).toHaveLength(result.findings.length);
    const i = result.findings.findIndex((f) => f.file === 'src/A.java' && f.line === 3);
    expect(data.findings[i]).toMatchObject({ s: 1, h: [3, 3] });
    expect(data.rules[data.findings[i].r].g).toBe('a BlobStore adapter');
  });

  it('insufficient data shows no score and grade N/A, in HTML and Markdown', () => {
    const empty = syntheticResult({}, [], { filesAnalyzed: 0 });
    expect(empty.summary.score).toBeNull();
    const page = renderHtml(empty, { templates: htmlTemplates() });
    expect(page).toContain('insufficient data');
    expect(page).toMatch(/id="grade"[^>]*>N\/A</);
    expect(page).toContain('No findings.');
    expect(renderMarkdown(empty)).toContain('## paasport readiness: insufficient data');
  });

  it('renderReport dispatches every format', () => {
    for (const format of ['text', 'json', 'sarif', 'markdown', 'gitlab', 'html'] as const) {
      const out = renderReport(format, result, { templates: htmlTemplates() });
      expect(out.length).toBeGreaterThan(100);
    }
    expect(() => renderReport('html', result)).toThrow(/templates/);
    expect(SEVERITIES).toHaveLength(3);
  });
});
