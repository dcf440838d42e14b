/**
 * The `build` analyzer: Maven `pom.xml` and Gradle `build.gradle` / `build.gradle.kts` reduced to
 * what ties an app to a platform — its declared dependencies (group, artifact, version, scope or
 * configuration) and its packaging — each at the line where it is declared.
 *
 * POMs are parsed with saxes (non-validating, no DTD or external-entity access; documents that
 * declare entities are refused). Gradle scripts are never evaluated: dependency declarations are
 * read line by line in the two notations Gradle documents (`'g:a:v'` strings and
 * `group: 'g', name: 'a'` maps), outside comments.
 *
 * match:
 *   analyzer: build
 *   dependency: { group: '^javax\.ejb$', artifact: 'regex', version: 'regex' }   # all given must match
 *   includeTest: true        # optional: test-scoped dependencies are skipped unless this is set
 *   packaging: '^ear$'       # alternative: the module's packaging (pom <packaging>, gradle ear/ejb plugin)
 * Regexes are case-insensitive unless `flags` says otherwise.
 */
import type * as SaxesModule from 'saxes';
import { lazyRequire, type Analyzer, type AnalyzerRule, type FileAnalysis, type Match, type RuleMatch, type SourceFile } from '../../core/index.js';
import { checkRegex, compileFields, compiledPerMatch } from '../common/match.js';

// The parser is required on the first file that needs it, not with the analyzer: a warm re-scan,
// or a scan with no such file, never loads it.
const saxes = lazyRequire<typeof SaxesModule>('saxes');

export interface Dependency {
  group: string;
  artifact: string;
  version?: string;
  /** Maven scope or Gradle configuration */
  scope?: string;
  line: number;
  column: number;
  endLine: number;
}

export interface BuildModel {
  dependencies: Dependency[];
  packaging?: { value: string; line: number; column: number };
  errors: { message: string; line?: number }[];
}

export function parsePom(text: string): BuildModel {
  const src = text.replace(/^\uFEFF/, '');
  const model: BuildModel = { dependencies: [], errors: [] };
  const masked = src.replace(/<!--[\s\S]*?(?:-->|$)/g, (m) => m.replace(/[^\r\n]/g, ' '));
  const ent = masked.search(/<!ENTITY/i);
  if (ent >= 0) {
    model.errors.push({ message: 'XML declares entities (<!ENTITY): not parsed, to rule out external-entity reads and entity expansion', line: src.slice(0, ent).split('\n').length });
    return model;
  }
  const lines = src.split(/\r\n|\r|\n/);
  const parser = new (saxes().SaxesParser)({ xmlns: false, position: true });
  const stack: string[] = [];
  let buf = '';
  let dep: (Partial<Dependency> & { line: number; column: number }) | undefined;
  let errorCount = 0;
  parser.on('error', (e) => {
    if (errorCount++ < 3) model.errors.push({ message: `XML: ${e.message.replace(/^(?:[^:\n]*:)?\d+:\d+: /, '')}`, line: parser.line });
  });
  parser.on('opentag', (node) => {
    stack.push(node.name);
    buf = '';
    if (node.name === 'dependency') {
      const col = (lines[parser.line - 1] ?? '').lastIndexOf('<dependency');
      dep = { line: parser.line, column: col >= 0 ? col + 1 : 1 };
    }
  });
  parser.on('text', (t) => (buf += t));
  parser.on('cdata', (t) => (buf += t));
  parser.on('closetag', (node) => {
    const parent = stack[stack.length - 2];
    const value = buf.trim();
    if (dep && parent === 'dependency') {
      if (node.name === 'groupId') dep.group = value;
      else if (node.name === 'artifactId') dep.artifact = value;
      else if (node.name === 'version') dep.version = value;
      else if (node.name === 'scope') dep.scope = value;
    }
    if (node.name === 'dependency' && dep) {
      // Exclusions are also <dependency>-free, but plugin <dependencies> count: they load into the build, not the app.
      const inPlugin = stack.includes('plugin');
      if (!inPlugin && dep.group !== undefined && dep.artifact !== undefined) {
        const d: Dependency = { group: dep.group, artifact: dep.artifact, line: dep.line, column: dep.column, endLine: parser.line };
        if (dep.version !== undefined) d.version = dep.version;
        if (dep.scope !== undefined) d.scope = dep.scope;
        model.dependencies.push(d);
      }
      dep = undefined;
    }
    if (node.name === 'packaging' && stack.length === 2 && stack[0] === 'project') {
      const col = (lines[parser.line - 1] ?? '').indexOf('<packaging');
      model.packaging = { value, line: parser.line, column: col >= 0 ? col + 1 : 1 };
    }
    stack.pop();
    buf = '';
  });
  try {
    parser.write(src).close();
  } catch (e) {
    model.errors.push({ message: `XML: ${(e as Error).message}`, line: parser.line });
  }
  return model;
}

/** Blanks // and /* *\/ comments (outside strings) so commented-out dependencies are never read. */
function stripComments(text: string): string {
  let out = '';
  let i = 0;
  let quote: string | undefined;
  while (i < text.length) {
    const c = text[i]!;
    if (quote) {
      out += c;
      if (c === '\\') out += text[++i] ?? '';
      else if (c === quote) quote = undefined;
      i++;
    } else if (c === '"' || c === "'") {
      quote = c;
      out += c;
      i++;
    } else if (c === '/' && text[i + 1] === '/') {
      while (i < text.length && text[i] !== '\n' && text[i] !== '\r') (out += ' '), i++;
    } else if (c === '/' && text[i + 1] === '*') {
      const end = text.indexOf('*/', i + 2);
      const stop = end < 0 ? text.length : end + 2;
      out += text.slice(i, stop).replace(/[^\r\n]/g, ' ');
      i = stop;
    } else {
      out += c;
      i++;
    }
  }
  return out;
}

const CONFIG = String.raw`(?<conf>[a-z][A-Za-z]*)`;
// Gradle configurations that put an artifact on a classpath (not e.g. `group` or `id`).
const CONFIGURATION = /compile|implementation|runtime|api$|^api|only$|processor|earlib|^deploy$|^kapt|classpath|^provided/i;
const STRING_NOTATION = new RegExp(String.raw`(?:^|[\s({;])${CONFIG}\s*\(?\s*(?:platform\s*\(\s*)?["'](?<group>[^"':\s]+):(?<artifact>[^"':\s]+)(?::(?<version>[^"'\s:@]+))?[^"']*["']`, 'g');
const MAP_NOTATION = new RegExp(String.raw`(?:^|[\s({;])${CONFIG}\s*\(?\s*group\s*[:=]\s*["'](?<group>[^"']+)["']\s*,\s*name\s*[:=]\s*["'](?<artifact>[^"']+)["'](?:\s*,\s*version\s*[:=]\s*["'](?<version>[^"']+)["'])?`, 'g');
const EAR_PLUGIN = /(?:apply\s+plugin\s*:\s*|\bid\s*\(?\s*)["'](ear|ejb)["']|^\s*(ear|ejb)\s*$/;

export function parseGradle(text: string): BuildModel {
  const model: BuildModel = { dependencies: [], errors: [] };
  const lines = stripComments(text.replace(/^\uFEFF/, '')).split(/\r\n|\r|\n/);
  lines.forEach((l, i) => {
    for (const re of [STRING_NOTATION, MAP_NOTATION]) {
      re.lastIndex = 0;
      for (const m of l.matchAll(re)) {
        const g = m.groups!;
        if (!CONFIGURATION.test(g.conf!)) continue;
        const d: Dependency = { group: g.group!, artifact: g.artifact!, scope: g.conf!, line: i + 1, column: m.index + (m[0].length - m[0].trimStart().length) + 1, endLine: i + 1 };
        if (g.version) d.version = g.version;
        model.dependencies.push(d);
      }
    }
    const p = EAR_PLUGIN.exec(l);
    if (p && !model.packaging) model.packaging = { value: p[1] ?? p[2]!, line: i + 1, column: p.index + 1 };
  });
  return model;
}

const isTest = (scope: string | undefined) => !!scope && /^test|Test(Implementation|Compile|RuntimeOnly|CompileOnly|Api)$/.test(scope);

const KNOWN = new Set(['analyzer', 'tokens', 'files', 'scope', 'dependency', 'includeTest', 'packaging', 'flags']);

interface Compiled {
  dep?: { group?: RegExp; artifact?: RegExp; version?: RegExp };
  packaging?: RegExp;
  includeTest: boolean;
}
const compile = compiledPerMatch((match, flags): Compiled => {
  const c: Compiled = { includeTest: match.includeTest === true };
  if (match.dependency && typeof match.dependency === 'object') c.dep = compileFields(match.dependency as Record<string, unknown>, ['group', 'artifact', 'version'], flags);
  if (typeof match.packaging === 'string') c.packaging = new RegExp(match.packaging, flags);
  return c;
});

export const buildAnalyzer: Analyzer = {
  id: 'build',
  description: 'Maven pom.xml and Gradle build scripts: dependencies and packaging at their declaring lines',
  exampleFile: 'pom.xml',
  handles: (path) => /(^|\/)(pom\.xml|build\.gradle(\.kts)?)$/.test(path),
  validate(match) {
    const problems: Array<[string, string]> = [];
    for (const k of Object.keys(match)) if (!KNOWN.has(k)) problems.push([`match.${k}`, 'unknown key for the build analyzer']);
    if ((match.dependency === undefined) === (match.packaging === undefined)) problems.push(['match', 'needs exactly one of dependency or packaging']);
    if (match.dependency !== undefined) {
      const d = match.dependency;
      if (typeof d !== 'object' || d === null || Array.isArray(d)) problems.push(['match.dependency', 'must be {group?, artifact?, version?}']);
      else {
        const rec = d as Record<string, unknown>;
        for (const k of Object.keys(rec)) {
          if (!['group', 'artifact', 'version'].includes(k)) problems.push([`match.dependency.${k}`, 'unknown key']);
          else checkRegex(problems, `match.dependency.${k}`, rec[k], match);
        }
        if (Object.keys(rec).length === 0) problems.push(['match.dependency', 'needs group, artifact or version']);
      }
    }
    if (match.packaging !== undefined) checkRegex(problems, 'match.packaging', match.packaging, match);
    if (match.includeTest !== undefined && typeof match.includeTest !== 'boolean') problems.push(['match.includeTest', 'must be true or false']);
    return problems;
  },
  analyze(file: SourceFile, rules: AnalyzerRule[]): FileAnalysis {
    const model = file.path.endsWith('.xml') ? parsePom(file.text) : parseGradle(file.text);
    const matches: Match[] = [];
    for (const rule of rules) {
      const c = compile(rule.match);
      if (c.packaging) {
        const p = model.packaging;
        if (p && c.packaging.test(p.value)) matches.push({ ruleId: rule.id, line: p.line, column: p.column, captures: { key: 'packaging', value: p.value } });
        continue;
      }
      for (const d of model.dependencies) {
        if (!c.includeTest && isTest(d.scope)) continue;
        if (c.dep?.group && !c.dep.group.test(d.group)) continue;
        if (c.dep?.artifact && !c.dep.artifact.test(d.artifact)) continue;
        if (c.dep?.version && !c.dep.version.test(d.version ?? '')) continue;
        const captures: Record<string, string> = { key: `${d.group}:${d.artifact}`, value: `${d.group}:${d.artifact}${d.version ? `:${d.version}` : ''}` };
        if (d.scope) captures.kind = d.scope;
        const m: Match = { ruleId: rule.id, line: d.line, column: d.column, captures };
        if (d.endLine > d.line) m.endLine = d.endLine;
        matches.push(m);
      }
    }
    const out: FileAnalysis = { matches };
    if (model.errors.length) out.errors = model.errors;
    return out;
  },
};
