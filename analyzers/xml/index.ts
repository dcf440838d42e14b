/**
 * The `xml` analyzer: any XML descriptor or config (web.xml, ejb-jar.xml, weblogic*.xml, server.xml,
 * log4j/logback, Spring contexts, activemq.xml…) as a light element tree with the line and column
 * of every element and attribute. Parsing is hostile-input-safe (see parse.ts).
 *
 * match:
 *   analyzer: xml
 *   files: ['**\/web.xml']
 *   element: 'appender'                 # element name (regex, anchored; matches the prefixed or local name)
 *   path: '/Server/Service/Engine[@jvmRoute]'
 *                                       # or a path: `/` anchors at the root element, otherwise the
 *                                       # path is the tail of the element's ancestry; `*` = any name;
 *                                       # predicates [@a] (present), [@a='v'] (equals), [@a~='re'] (regex),
 *                                       # each negated with a leading ! ([!@a], [!@a~='re']);
 *                                       # `p1|p2` is a union (alternatives inside a name go in (?:a|b))
 *   attribute: { name: 'class', value: 'FileAppender$', valueNot: '…' }
 *                                       # report each matching attribute (at its own line)
 *   text: 'regex'  / textNot: 'regex'   # on the element's own text
 *   child: { element: 'res-type', text: 'javax\.jms' }   # or a list: every one must be met by some child
 *   missingChild: 'distributable'       # the element has no child of that name
 *   captureValue: false                 # keep attribute values / text out of captures (secrets)
 *   line / lineNot                      # alternative: a raw line rule; XML comments are blanked first
 *   flags: 'i'                          # flags for value/text/line regexes (names stay case-sensitive)
 * Comments never match: they are not part of the tree and are blanked for line rules.
 */
import type { Analyzer, AnalyzerRule, FileAnalysis, Match, RuleMatch, SourceFile } from '../../core/index.js';
import { maskComments, parseXml, type XmlElement } from './parse.js';

export { parseXml, maskComments, type XmlElement, type XmlAttribute, type XmlParse } from './parse.js';

interface Predicate {
  /** `[!@a…]`: the element must NOT satisfy the test */
  negate: boolean;
  attr: string;
  op: 'has' | 'eq' | 're';
  value?: string;
  re?: RegExp;
}
interface Segment {
  any: boolean;
  name?: RegExp;
  preds: Predicate[];
}
interface PathSpec {
  anchored: boolean;
  segments: Segment[];
}
interface ChildSpec {
  element: RegExp;
  text?: RegExp;
  textNot?: RegExp;
}
interface Compiled {
  /** alternatives (`a/b | c`): an element matching any of them is selected */
  path?: PathSpec[];
  attribute?: { name: RegExp; value?: RegExp; valueNot?: RegExp };
  text?: RegExp;
  textNot?: RegExp;
  children: ChildSpec[];
  missingChild?: RegExp;
  line?: RegExp;
  lineNot?: RegExp;
  captureValue: boolean;
}

const KNOWN = new Set(['analyzer', 'tokens', 'files', 'scope', 'element', 'path', 'attribute', 'text', 'textNot', 'child', 'missingChild', 'captureValue', 'line', 'lineNot', 'flags']);

const nameRe = (s: string) => new RegExp(`^(?:${s})$`);

function splitPath(path: string): string[] {
  const out: string[] = [];
  let cur = '';
  let depth = 0;
  let quote: string | undefined;
  for (const ch of path) {
    if (quote) {
      if (ch === quote) quote = undefined;
    } else if (ch === "'" || ch === '"') quote = ch;
    else if (ch === '[') depth++;
    else if (ch === ']') depth--;
    else if (ch === '/' && depth === 0) {
      out.push(cur);
      cur = '';
      continue;
    }
    cur += ch;
  }
  out.push(cur);
  return out;
}

/** `name[@a][@b='v'][@c~='re']` — the name is a regex (may hold [...] classes); predicate values are quoted. */
function parseSegment(part: string, flags: string): Segment {
  const predStart = part.search(/\[\s*!?\s*@/);
  const name = (predStart < 0 ? part : part.slice(0, predStart)).trim();
  const preds: Predicate[] = [];
  let rest = predStart < 0 ? '' : part.slice(predStart);
  while (rest.length) {
    const head = /^\[\s*(!?)\s*@([\w:.-]+)\s*(=|~=)?\s*/.exec(rest);
    if (!head) throw new Error(`unsupported predicate in "${part}" (use [@a], [@a='v'] or [@a~='regex'], optionally negated as [!@a…])`);
    rest = rest.slice(head[0].length);
    const negate = head[1] === '!';
    const attr = head[2]!;
    if (!head[3]) {
      preds.push({ negate, attr, op: 'has' });
    } else {
      const q = rest[0];
      const close = q === "'" || q === '"' ? rest.indexOf(q, 1) : -1;
      if (close < 0) throw new Error(`predicate value must be quoted in "${part}"`);
      const value = rest.slice(1, close);
      rest = rest.slice(close + 1);
      preds.push(head[3] === '=' ? { negate, attr, op: 'eq', value } : { negate, attr, op: 're', re: new RegExp(value, flags) });
    }
    const tail = /^\s*\]/.exec(rest);
    if (!tail) throw new Error(`unclosed predicate in "${part}"`);
    rest = rest.slice(tail[0].length).trimStart();
  }
  if (!name) throw new Error(`missing element name in "${part}"`);
  if (name === '*') return { any: true, preds };
  try {
    return { any: false, name: nameRe(name), preds };
  } catch (e) {
    throw new Error(`bad element name "${name}": ${(e as Error).message}`);
  }
}

/** Splits on `|` outside brackets, parentheses and quotes: `a/b|c` is the union of `a/b` and `c`. */
export function compileUnion(path: string, flags: string): PathSpec[] {
  const alts: string[] = [];
  let cur = '';
  let depth = 0;
  let quote: string | undefined;
  for (const ch of path) {
    if (quote) {
      if (ch === quote) quote = undefined;
    } else if (ch === "'" || ch === '"') quote = ch;
    else if (ch === '[' || ch === '(') depth++;
    else if (ch === ']' || ch === ')') depth--;
    else if (ch === '|' && depth === 0) {
      alts.push(cur.trim());
      cur = '';
      continue;
    }
    cur += ch;
  }
  alts.push(cur.trim());
  return alts.map((a) => compilePath(a, flags));
}

export function compilePath(path: string, flags: string): PathSpec {
  const anchored = path.startsWith('/') && !path.startsWith('//');
  const parts = splitPath(path.replace(/^\/\/?/, ''));
  const segments = parts.map((part): Segment => parseSegment(part.trim(), flags));
  return { anchored, segments };
}

const named = (re: RegExp, el: XmlElement) => re.test(el.name) || re.test(el.local);

function segmentMatches(seg: Segment, el: XmlElement): boolean {
  if (!seg.any && !named(seg.name!, el)) return false;
  return seg.preds.every((p) => {
    const a = el.attrs.find((x) => x.name === p.attr);
    const holds = !!a && (p.op === 'has' || (p.op === 'eq' ? a.value === p.value : p.re!.test(a.value)));
    return holds !== p.negate;
  });
}

export function elementMatchesPath(spec: PathSpec, el: XmlElement): boolean {
  let cur: XmlElement | undefined = el;
  for (let i = spec.segments.length - 1; i >= 0; i--) {
    if (!cur || !segmentMatches(spec.segments[i]!, cur)) return false;
    cur = cur.parent;
  }
  return !spec.anchored || cur === undefined;
}

const cache = new WeakMap<object, Compiled>();

function compile(match: RuleMatch): Compiled {
  let c = cache.get(match);
  if (c) return c;
  const flags = String(match.flags ?? 'i').replace(/g/g, '');
  const re = (v: unknown) => (typeof v === 'string' ? new RegExp(v, flags) : undefined);
  c = { children: [], captureValue: match.captureValue !== false };
  if (typeof match.element === 'string') c.path = compileUnion(match.element, flags);
  if (typeof match.path === 'string') c.path = compileUnion(match.path, flags);
  if (match.attribute && typeof match.attribute === 'object') {
    const a = match.attribute as Record<string, string>;
    c.attribute = { name: nameRe(a.name ?? '.*') };
    if (a.value !== undefined) c.attribute.value = re(a.value)!;
    if (a.valueNot !== undefined) c.attribute.valueNot = re(a.valueNot)!;
  }
  const t = re(match.text);
  if (t) c.text = t;
  const tn = re(match.textNot);
  if (tn) c.textNot = tn;
  const childList = match.child === undefined ? [] : Array.isArray(match.child) ? match.child : [match.child];
  c.children = (childList as Array<Record<string, string>>).map((ch) => {
    const spec: ChildSpec = { element: nameRe(ch.element ?? '.*') };
    if (ch.text !== undefined) spec.text = re(ch.text)!;
    if (ch.textNot !== undefined) spec.textNot = re(ch.textNot)!;
    return spec;
  });
  if (typeof match.missingChild === 'string') c.missingChild = nameRe(match.missingChild);
  const l = re(match.line);
  if (l) c.line = l;
  const ln = re(match.lineNot);
  if (ln) c.lineNot = ln;
  cache.set(match, c);
  return c;
}

function groups(m: RegExpExecArray | null): Record<string, string> {
  return m?.groups ? (Object.fromEntries(Object.entries(m.groups).filter(([, v]) => v !== undefined)) as Record<string, string>) : {};
}

function validateMatch(match: RuleMatch): Array<[string, string]> {
  const problems: Array<[string, string]> = [];
  for (const k of Object.keys(match)) if (!KNOWN.has(k)) problems.push([`match.${k}`, 'unknown key for the xml analyzer']);
  const flags = String(match.flags ?? 'i');
  const checkRe = (field: string, v: unknown, anchoredName = false) => {
    if (typeof v !== 'string') return problems.push([field, 'must be a regular expression string']);
    try {
      new RegExp(anchoredName ? `^(?:${v})$` : v, flags);
    } catch (e) {
      problems.push([field, (e as Error).message]);
    }
  };
  for (const f of ['text', 'textNot', 'line', 'lineNot'] as const) if (match[f] !== undefined) checkRe(`match.${f}`, match[f]);
  if (match.missingChild !== undefined) checkRe('match.missingChild', match.missingChild, true);
  for (const f of ['element', 'path'] as const) {
    if (match[f] === undefined) continue;
    if (typeof match[f] !== 'string') problems.push([`match.${f}`, 'must be a string']);
    else {
      try {
        compileUnion(match[f] as string, flags);
      } catch (e) {
        problems.push([`match.${f}`, (e as Error).message]);
      }
    }
  }
  if (match.element !== undefined && match.path !== undefined) problems.push(['match.path', 'give element or path, not both']);
  if (match.attribute !== undefined) {
    const a = match.attribute;
    if (typeof a !== 'object' || a === null || Array.isArray(a)) problems.push(['match.attribute', 'must be {name, value?, valueNot?}']);
    else {
      for (const k of Object.keys(a)) if (!['name', 'value', 'valueNot'].includes(k)) problems.push([`match.attribute.${k}`, 'unknown key']);
      const rec = a as Record<string, unknown>;
      if (rec.name === undefined) problems.push(['match.attribute.name', 'is required']);
      else checkRe('match.attribute.name', rec.name, true);
      if (rec.value !== undefined) checkRe('match.attribute.value', rec.value);
      if (rec.valueNot !== undefined) checkRe('match.attribute.valueNot', rec.valueNot);
    }
  }
  if (match.child !== undefined) {
    const list = Array.isArray(match.child) ? match.child : [match.child];
    list.forEach((ch, i) => {
      const f = Array.isArray(match.child) ? `match.child[${i}]` : 'match.child';
      if (typeof ch !== 'object' || ch === null) return problems.push([f, 'must be {element, text?, textNot?}']);
      const rec = ch as Record<string, unknown>;
      for (const k of Object.keys(rec)) if (!['element', 'text', 'textNot'].includes(k)) problems.push([`${f}.${k}`, 'unknown key']);
      if (rec.element === undefined) problems.push([`${f}.element`, 'is required']);
      else checkRe(`${f}.element`, rec.element, true);
      if (rec.text !== undefined) checkRe(`${f}.text`, rec.text);
      if (rec.textNot !== undefined) checkRe(`${f}.textNot`, rec.textNot);
    });
  }
  const structural = ['element', 'path', 'attribute', 'text', 'textNot', 'child', 'missingChild'].some((k) => match[k] !== undefined);
  if (match.line !== undefined && structural) problems.push(['match.line', 'a line rule cannot also match elements']);
  if (match.line === undefined && match.element === undefined && match.path === undefined) problems.push(['match', 'needs element, path or line']);
  if (match.captureValue !== undefined && typeof match.captureValue !== 'boolean') problems.push(['match.captureValue', 'must be true or false']);
  return problems;
}

export const xmlAnalyzer: Analyzer = {
  id: 'xml',
  description: 'XML descriptors and config: elements and attributes at their exact lines (no DTDs, no external entities, no entity expansion)',
  exampleFile: 'config.xml',
  handles: (path) => /\.(xml|xmi|jrxml|xsl|xslt|wsdd|tld)$/i.test(path),
  validate: validateMatch,
  analyze(file: SourceFile, rules: AnalyzerRule[]): FileAnalysis {
    const matches: Match[] = [];
    const structural = rules.filter((r) => r.match.line === undefined);
    const parsed = structural.length ? parseXml(file.text) : undefined;
    let masked: string[] | undefined;
    for (const rule of rules) {
      const c = compile(rule.match);
      if (c.line) {
        masked ??= maskComments(file.text).split(/\r\n|\r|\n/);
        masked.forEach((l, i) => {
          if (c.lineNot?.test(l)) return;
          const m = c.line!.exec(l);
          if (m) matches.push({ ruleId: rule.id, line: i + 1, column: m.index + 1, captures: groups(m) });
        });
        continue;
      }
      for (const el of parsed?.elements ?? []) {
        if (c.path && !c.path.some((p) => elementMatchesPath(p, el))) continue;
        let tm: RegExpExecArray | null = null;
        if (c.text && !(tm = c.text.exec(el.text))) continue;
        if (c.textNot?.test(el.text)) continue;
        if (c.missingChild && el.children.some((ch) => named(c.missingChild!, ch))) continue;
        if (!c.children.every((spec) => el.children.some((ch) => named(spec.element, ch) && (!spec.text || spec.text.test(ch.text)) && !spec.textNot?.test(ch.text)))) continue;
        if (c.attribute) {
          for (const a of el.attrs) {
            if (!c.attribute.name.test(a.name)) continue;
            let vm: RegExpExecArray | null = null;
            if (c.attribute.value && !(vm = c.attribute.value.exec(a.value))) continue;
            if (c.attribute.valueNot?.test(a.value)) continue;
            const captures: Record<string, string> = { key: a.name, element: el.local };
            if (c.captureValue) Object.assign(captures, { value: a.value }, groups(vm));
            matches.push({ ruleId: rule.id, line: a.line, column: a.column, captures });
          }
          continue;
        }
        const captures: Record<string, string> = { key: el.local, element: el.local };
        if (c.captureValue && el.text && c.text) Object.assign(captures, { value: el.text }, groups(tm));
        const m: Match = { ruleId: rule.id, line: el.line, column: el.column, captures };
        if (el.endLine > el.line) m.endLine = el.endLine;
        matches.push(m);
      }
    }
    const out: FileAnalysis = { matches };
    if (parsed?.errors.length) out.errors = parsed.errors;
    return out;
  },
};
