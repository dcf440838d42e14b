/**
 * The environment variables (and JVM system properties) the app already reads, found with regexes over
 * its comment-stripped text: Node `process.env.X`, `process.env['X']`, `const { X } = process.env`;
 * Java `System.getenv("X")`, `System.getProperty("x")` and kin; `${X}` / `${X:default}` / `${env.X}`
 * placeholders in .properties, Spring YAML and server XML. Findings name only the values the scan
 * flagged, and a lookup that already has a default (`process.env.X || 'localhost'`) is no longer
 * flagged, so the generated config would otherwise miss variables the app needs on the platform.
 *
 * Regexes, not parsers: adapters load no parser and do no I/O (the CLI hands the texts in). What they
 * miss is listed in docs/generate.md (aliases of process.env, computed names, getenv() maps).
 */
import type { Runtime } from './types.js';

export type EnvReadKind = 'env' | 'system-property';

export interface EnvRead {
  /** the variable (or, for a system property, the property) name exactly as the app reads it */
  name: string;
  kind: EnvReadKind;
  file: string;
  line: number;
  /** how it is read: `process.env`, `System.getenv`, `${…}`, … */
  via: string;
  /** the literal fallback the code gives, when it gives one */
  default?: string;
}

type Syntax = 'js' | 'java' | 'properties' | 'yaml' | 'xml';

/** Which reader a file gets; undefined = not a file env reads are taken from. */
export function envSyntaxOf(file: string): Syntax | undefined {
  const base = file.split('/').pop() ?? file;
  // browser code: `process.env.X` there is replaced by a bundler at build time, not read at run time
  if (/(^|\/)(public|static|assets|www|webapp|wwwroot)\//.test(file)) return undefined;
  if (/\.d\.ts$/.test(base)) return undefined;
  if (/\.(c|m)?[jt]sx?$/.test(base)) return 'js';
  if (base.endsWith('.java')) return 'java';
  if (base.endsWith('.properties')) return 'properties';
  // Spring's own config files; other YAML (compose files, CI, manifests) is interpolated by other tools
  if (/^(application|bootstrap)([-.][\w-]+)?\.ya?ml$/.test(base)) return 'yaml';
  // server configuration the image's server reads at start (not pom.xml / build.xml: build time)
  if (/^(standalone|domain|host)(-[\w-]+)?\.xml$|-ds\.xml$|^(server|context)\.xml$/.test(base)) return 'xml';
  return undefined;
}

/** Cheap pre-test for the CLI: whether a file of a kind we read can contain a read at all. */
export function mayReadEnv(file: string, text: string): boolean {
  const syntax = envSyntaxOf(file);
  if (syntax === 'js') return text.includes('process.env');
  if (syntax === 'java') return /\b(getenv|getProperty|getInteger|getLong|getBoolean)\b/.test(text);
  return syntax !== undefined && text.includes('${');
}

/**
 * The text with its comments blanked (same length, same line breaks), so line numbers still hold and
 * a commented-out read is not one. Strings are kept: defaults live in them.
 */
export function stripComments(text: string, syntax: Syntax): string {
  if (syntax === 'properties') return text.replace(/^[ \t\f]*[#!].*$/gm, (m) => ' '.repeat(m.length));
  if (syntax === 'xml') return text.replace(/<!--[\s\S]*?(?:-->|$)/g, (m) => m.replace(/[^\n]/g, ' '));
  if (syntax === 'yaml') return text.split('\n').map(stripYamlComment).join('\n');
  return stripCLike(text, syntax === 'java');
}

function stripYamlComment(line: string): string {
  let quote: string | undefined;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (quote) {
      if (c === quote && !(quote === '"' && line[i - 1] === '\\')) quote = undefined;
    } else if (c === '"' || c === "'") {
      // a quote opens a string only where a YAML scalar can start
      if (i === 0 || /[\s:[{,-]/.test(line[i - 1]!)) quote = c;
    } else if (c === '#' && (i === 0 || /\s/.test(line[i - 1]!))) {
      return line.slice(0, i) + ' '.repeat(line.length - i);
    }
  }
  return line;
}

function stripCLike(text: string, java: boolean): string {
  const out = text.split('');
  const blank = (from: number, to: number) => {
    for (let k = from; k < to; k++) if (out[k] !== '\n' && out[k] !== '\r') out[k] = ' ';
  };
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    const next = text[i + 1];
    if (c === '/' && next === '/') {
      const end = text.indexOf('\n', i);
      const stop = end < 0 ? text.length : end;
      blank(i, stop);
      i = stop;
    } else if (c === '/' && next === '*') {
      const end = text.indexOf('*/', i + 2);
      const stop = end < 0 ? text.length : end + 2;
      blank(i, stop);
      i = stop;
    } else if (java && text.startsWith('"""', i)) {
      const end = text.indexOf('"""', i + 3);
      i = end < 0 ? text.length : end + 3;
    } else if (c === '"' || c === "'" || (!java && c === '`')) {
      i = skipString(text, i, c);
    } else if (c === '\\') {
      // outside strings only a regex literal has backslashes: `\/\/` is not a comment
      i += 2;
    } else {
      i += 1;
    }
  }
  return out.join('');
}

/** Index just after the string opened at i; a ' or " string ends at the line's end if unterminated. */
function skipString(text: string, i: number, quote: string): number {
  let k = i + 1;
  while (k < text.length) {
    const c = text[k]!;
    if (c === '\\') k += 2;
    else if (c === quote) return k + 1;
    else if (c === '\n' && quote !== '`') return k;
    else k += 1;
  }
  return k;
}

const lineAt = (text: string, index: number): number => {
  let n = 1;
  for (let k = text.indexOf('\n'); k >= 0 && k < index; k = text.indexOf('\n', k + 1)) n++;
  return n;
};

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** JavaScript string, number or boolean literal at the start of s: its value, or undefined. */
function jsLiteral(s: string): string | undefined {
  const m = /^\s*(?:'((?:\\.|[^'\\\n])*)'|"((?:\\.|[^"\\\n])*)"|`((?:\\[^$]|[^`\\$])*)`|(-?\d+(?:\.\d+)?)\b|(true|false)\b)/.exec(s);
  if (!m) return undefined;
  const raw = m[1] ?? m[2] ?? m[3];
  return raw !== undefined ? unescapeC(raw) : (m[4] ?? m[5]);
}

function javaString(s: string): string | undefined {
  const m = /^\s*"((?:\\.|[^"\\\n])*)"/.exec(s);
  return m ? unescapeC(m[1]!) : undefined;
}

function unescapeC(s: string): string {
  return s.replace(/\\(u[0-9a-fA-F]{4}|x[0-9a-fA-F]{2}|.)/g, (_m, e: string) => {
    if (e.length > 1) return String.fromCharCode(parseInt(e.slice(1), 16));
    return ({ n: '\n', t: '\t', r: '\r', b: '\b', f: '\f', 0: '\0' } as Record<string, string>)[e] ?? e;
  });
}

/** A default given right after a lookup: `|| lit`, `?? lit`, `||= lit`, also through Number()/parseInt(). */
function jsDefaultAfter(text: string, end: number, before: string): string | undefined {
  let rest = text.slice(end, end + 400);
  // Number(process.env.X) || 5, parseInt(process.env.X, 10) || 5: the fallback still applies to X
  if (/\b(?:Number|parseInt|parseFloat)\s*\(\s*$/.test(before)) {
    const close = /^\s*(?:,\s*\d+\s*)?\)/.exec(rest);
    if (!close) return undefined;
    rest = rest.slice(close[0].length);
  }
  const op = /^\s*(?:\|\||\?\?)=?/.exec(rest);
  return op ? jsLiteral(rest.slice(op[0].length)) : undefined;
}

function jsReads(file: string, text: string): EnvRead[] {
  const out: EnvRead[] = [];
  const add = (name: string, index: number, def: string | undefined) => {
    if (!ENV_NAME.test(name)) return;
    const r: EnvRead = { name, kind: 'env', file, line: lineAt(text, index), via: 'process.env' };
    if (def !== undefined) r.default = def;
    out.push(r);
  };
  const access = /\bprocess\.env(?:\.([A-Za-z_$][\w$]*)|\s*\[\s*(?:'([^'\n]*)'|"([^"\n]*)"|`([^`$\n]*)`)\s*\])/g;
  for (const m of text.matchAll(access)) {
    const end = m.index + m[0].length;
    // an assignment sets the variable for the process; it is not a setting the platform supplies
    if (/^\s*=(?!=)/.test(text.slice(end, end + 3))) continue;
    add(m[1] ?? m[2] ?? m[3] ?? m[4]!, m.index, jsDefaultAfter(text, end, text.slice(Math.max(0, m.index - 20), m.index)));
  }
  const destructure = /\b(?:const|let|var)\s*\{([^{}]*)\}\s*(?::\s*[\w.<>[\]]+\s*)?=\s*process\.env\b(?!\s*[.[])/g;
  for (const m of text.matchAll(destructure)) {
    const body = m[1]!;
    const bodyAt = m.index + m[0].indexOf('{') + 1;
    let offset = 0;
    for (const part of body.split(',')) {
      const p = /^(\s*)(?:(['"])([^'"]+)\2|([A-Za-z_$][\w$]*))\s*(?::\s*[A-Za-z_$][\w$]*\s*)?(?:=\s*([\s\S]*))?$/.exec(part);
      if (p) add(p[3] ?? p[4]!, bodyAt + offset + p[1]!.length, p[5] === undefined ? undefined : jsLiteral(p[5]));
      offset += part.length + 1;
    }
  }
  return out;
}

/** Properties the JVM or the app server sets itself: not settings of the app. */
const JVM_PROPERTY = /^(java|javax|jdk|sun|os|user|file|line|path|native|stdout|stderr|catalina|jboss|wildfly|wlp|com\.ibm|org\.apache\.catalina|weblogic)\.|^(server\.config\.dir|server\.output\.dir)$/;

function javaReads(file: string, text: string): EnvRead[] {
  const out: EnvRead[] = [];
  const add = (name: string, kind: EnvReadKind, via: string, index: number, def: string | undefined) => {
    if (kind === 'env' ? !ENV_NAME.test(name) : JVM_PROPERTY.test(name) || !/^[\w.-]+$/.test(name)) return;
    const r: EnvRead = { name, kind, file, line: lineAt(text, index), via };
    if (def !== undefined) r.default = def;
    out.push(r);
  };
  const str = '"((?:\\\\.|[^"\\\\\\n])*)"';
  for (const m of text.matchAll(new RegExp(`\\bSystem\\s*\\.\\s*getenv\\s*\\(\\s*${str}\\s*\\)`, 'g'))) {
    const end = m.index + m[0].length;
    const before = text.slice(Math.max(0, m.index - 40), m.index);
    const after = text.slice(end, end + 300);
    let def: string | undefined;
    // Optional.ofNullable(System.getenv("X")).orElse("d"), Objects.requireNonNullElse(System.getenv("X"), "d")
    if (/Optional\s*\.\s*ofNullable\s*\(\s*$/.test(before)) {
      const o = /^\s*\)\s*\.\s*orElse\s*\(/.exec(after);
      if (o) def = javaString(after.slice(o[0].length));
    } else if (/requireNonNullElse\s*\(\s*$/.test(before)) {
      const o = /^\s*,/.exec(after);
      if (o) def = javaString(after.slice(o[0].length));
    }
    add(unescapeC(m[1]!), 'env', 'System.getenv', m.index, def);
  }
  for (const m of text.matchAll(new RegExp(`\\bSystem\\s*\\.\\s*getenv\\s*\\(\\s*\\)\\s*\\.\\s*(get|getOrDefault)\\s*\\(\\s*${str}\\s*(?:,\\s*${str}\\s*)?\\)`, 'g'))) {
    add(unescapeC(m[2]!), 'env', `System.getenv().${m[1]}`, m.index, m[3] === undefined ? undefined : unescapeC(m[3]));
  }
  for (const m of text.matchAll(new RegExp(`\\bSystem\\s*\\.\\s*getProperty\\s*\\(\\s*${str}\\s*(?:,\\s*${str}\\s*)?\\)`, 'g'))) {
    add(unescapeC(m[1]!), 'system-property', 'System.getProperty', m.index, m[2] === undefined ? undefined : unescapeC(m[2]));
  }
  // Integer.getInteger / Long.getLong / Boolean.getBoolean read system properties too
  for (const m of text.matchAll(new RegExp(`\\b(Integer\\s*\\.\\s*getInteger|Long\\s*\\.\\s*getLong|Boolean\\s*\\.\\s*getBoolean)\\s*\\(\\s*${str}\\s*(?:,\\s*(-?\\d+)[lL]?\\s*)?\\)`, 'g'))) {
    const via = m[1]!.replace(/\s+/g, '');
    add(unescapeC(m[2]!), 'system-property', via, m.index, m[3] ?? (via === 'Boolean.getBoolean' ? 'false' : undefined));
  }
  return out;
}

/**
 * `${NAME}`, `${NAME:default}` and `${env.NAME…}` in configuration. Only `env.`-prefixed and
 * UPPER_SNAKE names count: `${db.url}` refers to another property, not to the environment.
 */
function placeholderReads(file: string, text: string, syntax: Syntax): EnvRead[] {
  const out: EnvRead[] = [];
  for (let at = text.indexOf('${'); at >= 0; at = text.indexOf('${', at + 2)) {
    const m = /^\$\{([\w.-]+)(:|\})/.exec(text.slice(at, at + 200));
    if (!m) continue;
    const raw = m[1]!;
    const name = raw.startsWith('env.') ? raw.slice(4) : raw;
    if (!ENV_NAME.test(name) || (!raw.startsWith('env.') && !/^[A-Z][A-Z0-9_]*$/.test(name))) continue;
    let def: string | undefined;
    if (m[2] === ':') {
      // the default runs to the matching brace; one with a nested placeholder is no literal
      let depth = 1;
      let k = at + m[0].length;
      const start = k;
      while (k < text.length && depth > 0 && text[k] !== '\n') {
        if (text.startsWith('${', k)) {
          depth++;
          k += 2;
          continue;
        }
        if (text[k] === '}') depth--;
        k++;
      }
      if (depth !== 0) continue;
      const body = text.slice(start, k - 1);
      // ${X:-d} is the shell spelling some servers accept too
      if (!body.includes('${')) def = (syntax === 'properties' ? body.replace(/\\(.)/g, '$1') : body).replace(/^-/, '');
    }
    const r: EnvRead = { name, kind: 'env', file, line: lineAt(text, at), via: raw.startsWith('env.') ? '${env.…}' : '${…}' };
    if (def !== undefined) r.default = syntax === 'yaml' ? def.replace(/^(["'])(.*)\1$/, '$2') : def;
    out.push(r);
  }
  return out;
}

/** Every read in one file, in text order. */
export function envReadsOf(file: string, text: string): EnvRead[] {
  const syntax = envSyntaxOf(file);
  if (!syntax) return [];
  const clean = stripComments(text, syntax);
  const reads = syntax === 'js' ? jsReads(file, clean) : syntax === 'java' ? javaReads(file, clean) : placeholderReads(file, clean, syntax);
  return reads.sort((a, b) => a.line - b.line);
}

/**
 * The reads of the app's own runtime: a Java app's front-end JavaScript is built, not run, on the
 * platform, and a Node app's stray .properties are not read by it. Sorted by file, then line.
 */
export function collectEnvReads(sources: Readonly<Record<string, string>>, runtime: Runtime): EnvRead[] {
  const out: EnvRead[] = [];
  for (const file of Object.keys(sources).sort()) {
    const syntax = envSyntaxOf(file);
    if (!syntax || (runtime.language === 'node') !== (syntax === 'js')) continue;
    out.push(...envReadsOf(file, sources[file]!));
  }
  return out;
}
