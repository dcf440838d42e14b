/**
 * The `package-json` analyzer: a Node app's manifest, parsed with jsonc-parser so every finding sits
 * on the exact line of the dependency or key (JSON.parse keeps no positions). It owns `package.json`
 * only; lock files are noise (transitive dependencies are not the app's choice).
 *
 * match (exactly one of):
 *   dependency: 'bcrypt|sqlite3'     # anchored regex over a dependency name
 *   engines: { below: 16 }           # the newest Node major `engines.node` admits is below this
 * conditions:
 *   sections: [dependencies, optionalDependencies]   # where dependencies are looked up (default)
 *   unlessDependency: 'connect-redis|…'              # no dependency in any section matches
 */
import type * as JsoncModule from 'jsonc-parser';
import { lazyRequire, type Analyzer, type AnalyzerRule, type FileAnalysis, type Match, type RuleMatch } from '../../core/index.js';

type JsonNode = JsoncModule.Node;
type ParseError = JsoncModule.ParseError;

// The parser is required on the first file that needs it, not with the analyzer: a warm re-scan,
// or a scan with no such file, never loads it.
const jsonc = lazyRequire<typeof JsoncModule>('jsonc-parser');

const ALL_SECTIONS = ['dependencies', 'devDependencies', 'optionalDependencies', 'peerDependencies', 'bundleDependencies'] as const;
const DEFAULT_SECTIONS = ['dependencies', 'optionalDependencies'];

function lineOf(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let last = -1;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      last = i;
    }
  }
  return { line, column: offset - last };
}

/**
 * The newest Node major a semver range admits, or Infinity when it has no upper bound
 * (`0.10.x` → 0, `~4.2` → 4, `>=6 <9` → 8, `^8 || ^10` → 10, `>=0.10` → Infinity). A range with an
 * upper bound below the platform's supported runtimes pins the app to a runtime the platform lacks.
 */
export function highestMajor(range: string): number | undefined {
  let best: number | undefined;
  for (const alt of range.split('||')) {
    const parts = alt.trim().replace(/([<>=^~])\s+/g, '$1').split(/\s+/).filter(Boolean);
    if (parts.length === 0 || parts.some((p) => /^[*x]$/i.test(p))) return Infinity;
    const hyphen = alt.match(/(\d+)(?:\.[\dx*]+)*\s+-\s+v?(\d+)/);
    let high: number | undefined;
    if (hyphen) high = Number(hyphen[2]);
    else {
      let upper: number | undefined;
      let open = false;
      for (const p of parts) {
        const m = p.match(/^(<=|<|>=|>|\^|~|=|v)?v?(\d+)(?:\.(\d+|x|\*))?(?:\.(\d+|x|\*))?/i);
        if (!m) continue;
        const op = m[1] ?? '';
        const major = Number(m[2]);
        const rest = Number(m[3] ?? 0) + Number(m[4] ?? 0);
        if (op === '>' || op === '>=') open = true;
        else if (op === '<') upper = Math.min(upper ?? Infinity, rest === 0 || Number.isNaN(rest) ? major - 1 : major);
        else upper = Math.min(upper ?? Infinity, major);
      }
      high = upper ?? (open ? Infinity : undefined);
    }
    if (high !== undefined) best = Math.max(best ?? -Infinity, high);
  }
  return best;
}

function validate(match: RuleMatch): Array<[string, string]> {
  const p: Array<[string, string]> = [];
  const allowed = new Set(['analyzer', 'tokens', 'files', 'scope', 'dependency', 'engines', 'sections', 'unlessDependency']);
  for (const k of Object.keys(match)) if (!allowed.has(k)) p.push([`match.${k}`, 'unknown key for the package-json analyzer']);
  const kinds = ['dependency', 'engines'].filter((k) => k in match);
  if (kinds.length !== 1) p.push(['match', 'needs exactly one of dependency, engines']);
  for (const k of ['dependency', 'unlessDependency'] as const) {
    const v = match[k];
    if (v === undefined) continue;
    if (typeof v !== 'string') p.push([`match.${k}`, 'expected a regular expression (string)']);
    else
      try {
        new RegExp(v);
      } catch (e) {
        p.push([`match.${k}`, (e as Error).message]);
      }
  }
  if (match.engines !== undefined) {
    const e = match.engines as Record<string, unknown>;
    if (!e || typeof e !== 'object' || typeof e.below !== 'number' || Object.keys(e).length !== 1) p.push(['match.engines', 'expected { below: <major version> }']);
  }
  if (match.sections !== undefined) {
    if (!Array.isArray(match.sections) || match.sections.some((s) => !(ALL_SECTIONS as readonly string[]).includes(s as string))) p.push(['match.sections', `expected a list of ${ALL_SECTIONS.join(', ')}`]);
  }
  if (match.scope === 'project') p.push(['match.scope', 'package-json rules are per file']);
  return p;
}

function analyze(file: { path: string; text: string }, rules: AnalyzerRule[]): FileAnalysis {
  const parseErrors: ParseError[] = [];
  const root = jsonc().parseTree(file.text, parseErrors, { allowTrailingComma: true, disallowComments: false });
  const errors = parseErrors.slice(0, 3).map((e) => ({ message: `invalid JSON: ${jsonc().printParseErrorCode(e.error)}`, line: lineOf(file.text, e.offset).line }));
  if (!root || root.type !== 'object') return { matches: [], errors: errors.length ? errors : [{ message: 'package.json is not a JSON object' }] };
  const deps = (section: string): JsonNode[] => {
    const n = jsonc().findNodeAtLocation(root, [section]);
    return n?.type === 'object' ? (n.children ?? []) : [];
  };
  const allNames = ALL_SECTIONS.flatMap((s) => deps(s).map((p) => String(p.children?.[0]?.value ?? '')));
  const matches: Match[] = [];
  for (const rule of rules) {
    const m = rule.match;
    if (typeof m.unlessDependency === 'string') {
      const unless = new RegExp(`^(?:${m.unlessDependency})$`);
      if (allNames.some((n) => unless.test(n))) continue;
    }
    if (typeof m.dependency === 'string') {
      const re = new RegExp(`^(?:${m.dependency})$`);
      const sections = (m.sections as string[] | undefined) ?? DEFAULT_SECTIONS;
      for (const section of sections) {
        for (const prop of deps(section)) {
          const name = prop.children?.[0]?.value;
          if (typeof name !== 'string' || !re.test(name)) continue;
          const version = prop.children?.[1]?.value;
          const captures: Record<string, string> = { key: name };
          if (typeof version === 'string') captures.value = version;
          matches.push({ ruleId: rule.id, ...lineOf(file.text, prop.offset), captures });
        }
      }
    } else if (m.engines) {
      const node = jsonc().findNodeAtLocation(root, ['engines', 'node']);
      if (node?.type !== 'string' || !node.parent) continue;
      const major = highestMajor(String(node.value));
      if (major !== undefined && major < (m.engines as { below: number }).below) {
        matches.push({ ruleId: rule.id, ...lineOf(file.text, node.parent.offset), captures: { key: 'engines.node', value: String(node.value) } });
      }
    }
  }
  const out: FileAnalysis = { matches };
  if (errors.length) out.errors = errors;
  return out;
}

export const packageJsonAnalyzer: Analyzer = {
  id: 'package-json',
  description: 'Node package.json manifests: dependencies and engines, at their exact lines',
  exampleFile: 'package.json',
  handles: (path) => /(^|\/)package\.json$/.test(path),
  validate,
  analyze,
};
