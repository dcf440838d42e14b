/**
 * Overlays of the app's own config files: the same file, with each extracted value replaced by a
 * reference to its environment variable in the file's own placeholder syntax, the old value kept as
 * the default where it is not a secret. Only the flagged lines change. A file whose credential cannot
 * be located safely gets no overlay at all, because copying it would copy the secret.
 */
import type { Finding } from '../core/index.js';
import type { EnvVar } from './env-vars.js';
import type { Output } from './output.js';
import type { Context } from './types.js';

export type Style = 'properties' | 'spring-yaml' | 'wildfly-xml' | 'liberty-xml' | 'tomcat-xml' | 'js' | 'dotenv';

export function styleOf(file: string, ctx: Pick<Context, 'runtime' | 'files'>): Style | undefined {
  const base = file.split('/').pop() ?? file;
  if (/^\.env(\.[\w-]+)?$/.test(base)) return 'dotenv';
  if (/\.properties$/.test(base)) return 'properties';
  if (/^(application|bootstrap)([-.][\w-]+)?\.ya?ml$/.test(base)) return 'spring-yaml';
  if (/\.(c|m)?[jt]s$/.test(base)) return 'js';
  if (/^(standalone|domain|host)(-[\w-]+)?\.xml$/.test(base) || /-ds\.xml$/.test(base)) return 'wildfly-xml';
  if (base === 'server.xml' && (/liberty|wlp/.test(file) || (ctx.runtime.language === 'java' && ctx.runtime.container === 'liberty'))) return 'liberty-xml';
  if (base === 'server.xml' && /featureManager/.test(file)) return 'liberty-xml';
  if (base === 'context.xml' || base === 'server.xml') return 'tomcat-xml';
  return undefined;
}

function placeholder(style: Style, v: EnvVar): string {
  const def = v.secret || v.default === undefined ? undefined : v.default;
  switch (style) {
    case 'properties':
    case 'spring-yaml':
      return def === undefined ? `\${${v.name}}` : `\${${v.name}:${def}}`;
    case 'wildfly-xml':
      return def === undefined ? `\${env.${v.name}}` : `\${env.${v.name}:${def}}`;
    case 'liberty-xml':
    case 'tomcat-xml':
      return `\${${v.name}}`;
    default:
      return v.name;
  }
}

const escRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

function jsRef(v: EnvVar): string {
  return v.secret || v.default === undefined ? `process.env.${v.name}` : `(process.env.${v.name} ?? ${JSON.stringify(v.default)})`;
}

/** The line with the value (or, for a secret, whatever is bound to the key) replaced; undefined if unsafe. */
export function rewriteLine(line: string, style: Style, v: EnvVar, f: Finding): string | undefined {
  const key = f.captures?.key;
  const value = v.secret ? undefined : f.captures?.value;
  if (style === 'js') {
    if (value !== undefined) {
      for (const q of ["'", '"', '`']) {
        const lit = `${q}${value}${q}`;
        if (line.includes(lit)) return line.replace(lit, jsRef(v));
      }
      return undefined;
    }
    if (!key) return undefined;
    const last = key.split('.').pop()!;
    const re = new RegExp(`(\\b${escRe(last)}['"]?\\s*[:=]\\s*)(['"\`])(?:\\\\.|(?!\\2).)*\\2`);
    return re.test(line) ? line.replace(re, (_m, pre: string) => `${pre}${jsRef(v)}`) : undefined;
  }
  const ph = placeholder(style, v);
  if (value !== undefined) {
    if (value.includes('}') || !line.includes(value)) return undefined;
    return line.replace(value, ph);
  }
  if (!key) return undefined;
  const last = key.split('.').pop()!;
  switch (style) {
    case 'properties': {
      const re = new RegExp(`^(\\s*${escRe(key)}\\s*[=:]\\s*).*$`);
      return re.test(line) ? line.replace(re, (_m, pre: string) => `${pre}${ph}`) : undefined;
    }
    case 'spring-yaml': {
      const re = new RegExp(`^(\\s*-?\\s*['"]?${escRe(last)}['"]?\\s*:\\s*).*$`);
      return re.test(line) ? line.replace(re, (_m, pre: string) => `${pre}"${ph}"`) : undefined;
    }
    default: {
      const attr = new RegExp(`(\\b${escRe(last)}\\s*=\\s*)(["'])[^"']*\\2`);
      if (attr.test(line)) return line.replace(attr, (_m, pre: string, q: string) => `${pre}${q}${ph}${q}`);
      const el = new RegExp(`(<${escRe(last)}>)[^<]*(</${escRe(last)}>)`);
      if (el.test(line)) return line.replace(el, (_m, a: string, b: string) => `${a}${ph}${b}`);
      return undefined;
    }
  }
}

export function generateOverlays(ctx: Context, out: Output): void {
  const byFile = new Map<string, Finding[]>();
  for (const f of ctx.findings) {
    if (!ctx.env.byFinding.has(f.id)) continue;
    byFile.set(f.file, [...(byFile.get(f.file) ?? []), f]);
  }
  const libertyDefaults = new Map<string, string>();
  for (const [file, findings] of byFile) {
    const style = styleOf(file, ctx);
    const concerns = [...new Set(findings.map((f) => f.concern))];
    if (style === 'dotenv') continue;
    const names = [...new Set(findings.map((f) => ctx.env.byFinding.get(f.id)!.name))].join(', ');
    if (!style) {
      for (const c of concerns) {
        out.note(
          c,
          ctx.runtime.language === 'java' && file.endsWith('.java')
            ? `${file}: read ${names} from the environment (PlatformConfig.fromEnvironment().get("NAME", "old value"); secrets with require("NAME")).`
            : `${file}: no placeholder syntax is known for this file; have it read ${names} from the environment.`,
        );
      }
      continue;
    }
    const text = ctx.sources[file];
    if (text === undefined) {
      for (const c of concerns) out.note(c, `${file}: not read by the generator; replace the values with ${names} by hand.`);
      continue;
    }
    const lines = text.split('\n');
    let unsafe: Finding | undefined;
    const missed: Finding[] = [];
    for (const f of findings) {
      const v = ctx.env.byFinding.get(f.id)!;
      const i = f.line - 1;
      const line = lines[i];
      const next = line === undefined ? undefined : rewriteLine(line, style, v, f);
      if (next === undefined) {
        if (v.secret) unsafe = f;
        else missed.push(f);
        continue;
      }
      lines[i] = next;
      if (style === 'liberty-xml' && !v.secret && v.default !== undefined) libertyDefaults.set(v.name, v.default);
    }
    if (unsafe) {
      out.note(unsafe.concern, `${file}: no overlay written: the credential at line ${unsafe.line} could not be located safely, and copying the file would copy it. Replace it with \${${ctx.env.byFinding.get(unsafe.id)!.name}} by hand.`);
      continue;
    }
    for (const f of missed) out.note(f.concern, `${file}:${f.line}: the value was not found verbatim on the line; replace it with ${ctx.env.byFinding.get(f.id)!.name} by hand.`);
    const next = lines.join('\n');
    if (next !== text) out.add(`overlays/${file}`, next, concerns);
  }
  if (libertyDefaults.size > 0) {
    const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
    const body = [...libertyDefaults].sort(([a], [b]) => (a < b ? -1 : 1)).map(([n, d]) => `    <variable name="${n}" defaultValue="${esc(d)}"/>`);
    out.add(
      'overlays/liberty/configDropins/defaults/paasport-variables.xml',
      ['<?xml version="1.0" encoding="UTF-8"?>', '<!-- Development defaults of the variables server.xml now reads; an environment variable of the same name wins. -->', '<server>', ...body, '</server>', ''].join('\n'),
      ['host-bound-config'],
    );
  }
}
