/**
 * SARIF 2.1.0 for code-scanning hosts (GitHub code scanning, Azure DevOps, IDE viewers). One run;
 * the driver carries every rule of the scan so `ruleIndex` is stable and hosts can show help without
 * our catalog. Suppressed findings are kept as results with an in-source suppression (hosts hide
 * them); with a baseline, `baselineState` says new or unchanged.
 */
import type { Finding, RuleMeta, ScanResult, Severity } from '../core/index.js';

export const SARIF_SCHEMA_URI = 'https://json.schemastore.org/sarif-2.1.0.json';
export const SARIF_LEVEL: Record<Severity, 'error' | 'warning' | 'note'> = { mandatory: 'error', potential: 'warning', optional: 'note' };
/** the key of our stable id in `partialFingerprints`, versioned in case the id scheme changes */
export const FINGERPRINT_KEY = 'paasportFindingId/v1';
const SRCROOT = '%SRCROOT%';

/** Rule id → SARIF `name`: PascalCase of its last path segment (`java/jndi-lookup` → JndiLookup). */
function ruleName(id: string): string {
  const last = id.split('/').pop() ?? id;
  return last.replace(/(^|[-_.])([a-z0-9])/gi, (_m, _s: string, c: string) => c.toUpperCase());
}

function encodePath(p: string): string {
  return p.split('/').map(encodeURIComponent).join('/');
}

function rootUri(root: string): string {
  const withSlash = root.endsWith('/') ? root : `${root}/`;
  // Windows roots ("C:/x") need the third slash too.
  return `file://${withSlash.startsWith('/') ? '' : '/'}${encodePath(withSlash)}`;
}

function ruleDescriptor(rule: RuleMeta) {
  const helpText = [rule.message, rule.rationale, rule.remediation].filter(Boolean).join('\n\n');
  const linksMd = rule.links.length > 0 ? `\n\n${rule.links.map((l) => `- [${l.title}](${l.url})`).join('\n')}` : '';
  const generates = rule.generates ? `\n\n**\`paasport generate\` produces:** ${rule.generates}` : '';
  const descriptor: Record<string, unknown> = {
    id: rule.id,
    name: ruleName(rule.id),
    shortDescription: { text: rule.title },
    fullDescription: { text: rule.rationale ?? rule.message },
    help: { text: helpText, markdown: `${rule.rationale ? `${rule.rationale}\n\n` : ''}${rule.remediation}${generates}${linksMd}` },
    defaultConfiguration: { level: SARIF_LEVEL[rule.severity] },
    properties: {
      tags: [...new Set(['paasport', rule.concern, rule.severity, ...rule.tags])],
      concern: rule.concern,
      severity: rule.severity,
      effort: rule.effort,
    },
  };
  if (rule.links[0]) descriptor.helpUri = rule.links[0].url;
  return descriptor;
}

function sarifResult(f: Finding, ruleIndex: Map<string, number>) {
  const region: Record<string, unknown> = { startLine: f.line, startColumn: f.column, endLine: f.endLine };
  if (f.snippet) region.snippet = { text: f.snippet };
  const out: Record<string, unknown> = {
    ruleId: f.ruleId,
    level: SARIF_LEVEL[f.severity],
    message: { text: f.message },
    locations: [{ physicalLocation: { artifactLocation: { uri: encodePath(f.file), uriBaseId: SRCROOT }, region } }],
    partialFingerprints: { [FINGERPRINT_KEY]: f.id },
    properties: { concern: f.concern, severity: f.severity, effort: f.effort },
  };
  const index = ruleIndex.get(f.ruleId);
  if (index !== undefined) out.ruleIndex = index;
  if (f.suppressed) out.suppressions = [{ kind: 'inSource', justification: f.suppressed.reason }];
  if (f.isNew !== undefined) out.baselineState = f.isNew ? 'new' : 'unchanged';
  return out;
}

export function renderSarif(result: ScanResult): string {
  const ruleIndex = new Map(result.rules.map((r, i) => [r.id, i]));
  const notifications = result.errors.map((e) => {
    const n: Record<string, unknown> = { level: 'error', message: { text: e.message } };
    if (e.file && !e.file.startsWith('(')) {
      const physicalLocation: Record<string, unknown> = { artifactLocation: { uri: encodePath(e.file), uriBaseId: SRCROOT } };
      if (e.line) physicalLocation.region = { startLine: e.line };
      n.locations = [{ physicalLocation }];
    }
    return n;
  });
  const invocation: Record<string, unknown> = { executionSuccessful: true, toolExecutionNotifications: notifications };
  if (result.startedAt) invocation.startTimeUtc = result.startedAt;
  const log = {
    $schema: SARIF_SCHEMA_URI,
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'paasport',
            semanticVersion: result.tool.version,
            version: result.tool.version,
            rules: result.rules.map(ruleDescriptor),
          },
        },
        invocations: [invocation],
        originalUriBaseIds: { [SRCROOT]: { uri: rootUri(result.root) } },
        results: result.findings.map((f) => sarifResult(f, ruleIndex)),
        columnKind: 'utf16CodeUnits',
        properties: {
          score: result.summary.score ?? null,
          grade: result.summary.grade ?? null,
          effort: result.summary.effort ?? null,
        },
      },
    ],
  };
  return `${JSON.stringify(log, null, 2)}\n`;
}
