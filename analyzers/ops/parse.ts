/**
 * Small hand-written readers for the line-oriented ops formats that sit in front of legacy apps.
 * None of them has a well-kept JavaScript parser, and rules only need "directive, its words, the
 * blocks it sits in, its line" — so each format is reduced to that shape:
 *   nginx        `name args;` statements in `{}` blocks (`#` comments, quotes)
 *   bigip        F5 tmsh config (`ltm virtual /Common/vs { … }`), newline-terminated, nested `{}`
 *   irule        F5 iRules (Tcl): `when EVENT { … }`, commands end at newline or `;`
 *   haproxy      sections (global/defaults/frontend/backend/listen…) holding one directive per line
 *   apache       httpd.conf: one directive per line, `<Section>` containers, `\` continuations
 *   netscaler    ns.conf: one CLI command per line (`add lb vserver … -persistenceType …`)
 *   crontab      `m h dom mon dow command` / `@reboot command` jobs (name `job`) and `VAR=value` (name `env`)
 */

export type OpsFormat = 'nginx' | 'bigip' | 'irule' | 'haproxy' | 'apache' | 'netscaler' | 'crontab';

export interface Directive {
  name: string;
  args: string[];
  line: number;
  column: number;
  /** headers of the enclosing blocks, outermost first (`upstream app`, `ltm virtual /Common/vs`) */
  context: string[];
}

const base = (p: string) => p.slice(p.lastIndexOf('/') + 1).toLowerCase();
const OPS_DIR = /(^|\/)(ops|f5|bigip|irules?|lb|loadbalancers?|load-balancers?|netscaler|citrix)(\/|$)/i;

/** The format a path is read as, judged by name first and by content for generic `.conf`/`.cfg`. */
export function detectFormat(path: string, text?: string): OpsFormat | undefined {
  const b = base(path);
  const lower = path.toLowerCase();
  if (b === 'crontab' || b.endsWith('.crontab') || b.endsWith('.cron') || /(^|\/)cron\.(d|daily|hourly)\//.test(lower) || b === 'crontab.txt') return 'crontab';
  if (b.endsWith('.irule') || b.endsWith('.irul') || (b.endsWith('.tcl') && OPS_DIR.test(lower))) return 'irule';
  if (b === 'ns.conf' || /^ns[._-].*\.conf$/.test(b)) return 'netscaler';
  if (/^bigip.*\.conf$/.test(b)) return 'bigip';
  if (/^haproxy.*\.cfg$/.test(b)) return 'haproxy';
  if (/^nginx.*\.conf$/.test(b) || /(^|\/)nginx\//.test(lower)) return 'nginx';
  if (/^(httpd|apache2?)(-.*)?\.conf$/.test(b) || /(^|\/)(httpd|apache2?)\//.test(lower)) return 'apache';
  if (text === undefined || !(b.endsWith('.conf') || b.endsWith('.cfg'))) return undefined;
  if (/^\s*ltm\s+(virtual|pool|persistence|rule)\b/m.test(text)) return 'bigip';
  if (/^\s*(add|set|bind)\s+(lb|ns|cs|gslb|service|server)\s/m.test(text)) return 'netscaler';
  if (/^\s*(frontend|backend|listen)\s+\S+/m.test(text) && /^\s*(balance|server|bind|mode)\s/m.test(text)) return 'haproxy';
  if (/^\s*<(VirtualHost|Proxy|Location|Directory|IfModule)\b|^\s*(LoadModule|ProxyPass|JkMount|JkWorkersFile|BalancerMember)\s/im.test(text)) return 'apache';
  if (/\b(server|upstream|http|location|events)\s*(\S+\s*)?\{/.test(text)) return 'nginx';
  return undefined;
}

export function handlesPath(path: string): boolean {
  const b = base(path);
  return b.endsWith('.conf') || b.endsWith('.cfg') || detectFormat(path) !== undefined;
}

/**
 * Brace-structured formats. `newlineEnds`: a newline ends a statement (tmsh, Tcl); otherwise only `;`
 * does (nginx). A `{` turns the pending words into a block header, which is itself reported as a
 * directive so rules can match `ltm virtual` or `upstream` lines.
 */
function parseBraces(text: string, newlineEnds: boolean, tclComments: boolean): Directive[] {
  const out: Directive[] = [];
  const context: string[] = [];
  let words: string[] = [];
  let start: { line: number; column: number } | undefined;
  let line = 1;
  let col = 1;
  let i = 0;
  const flush = (header: boolean) => {
    if (words.length && start) {
      out.push({ name: words[0]!, args: words.slice(1), line: start.line, column: start.column, context: [...context] });
      if (header) context.push(words.join(' '));
    } else if (header) context.push('');
    words = [];
    start = undefined;
  };
  while (i < text.length) {
    const c = text[i]!;
    if (c === '\n') {
      if (newlineEnds) flush(false);
      line++;
      col = 1;
      i++;
      continue;
    }
    if (c === ' ' || c === '\t' || c === '\r') {
      i++;
      col++;
      continue;
    }
    if (c === '#' && (!tclComments || words.length === 0)) {
      while (i < text.length && text[i] !== '\n') i++;
      continue;
    }
    if (c === ';') {
      flush(false);
      i++;
      col++;
      continue;
    }
    if (c === '{') {
      flush(true);
      i++;
      col++;
      continue;
    }
    if (c === '}') {
      flush(false);
      context.pop();
      i++;
      col++;
      continue;
    }
    // a word: quoted, or up to whitespace / structure
    start ??= { line, column: col };
    let w = '';
    if (c === '"' || c === "'") {
      const q = c;
      i++;
      col++;
      while (i < text.length && text[i] !== q) {
        if (text[i] === '\\' && i + 1 < text.length) (w += text[i + 1]), (i += 2), (col += 2);
        else {
          if (text[i] === '\n') (line++, (col = 0));
          w += text[i];
          i++;
          col++;
        }
      }
      i++;
      col++;
    } else {
      let bracket = 0;
      while (i < text.length) {
        const d = text[i]!;
        if (d === '[') bracket++;
        if (d === ']') bracket--;
        if (bracket <= 0 && (d === ' ' || d === '\t' || d === '\r' || d === '\n' || d === ';' || d === '{' || d === '}')) break;
        if (d === '\n') (line++, (col = 0));
        w += d;
        i++;
        col++;
      }
    }
    words.push(w);
  }
  flush(false);
  return out;
}

function splitWords(s: string): string[] {
  const out: string[] = [];
  for (const m of s.matchAll(/"((?:[^"\\]|\\.)*)"|'([^']*)'|(\S+)/g)) out.push(m[1] ?? m[2] ?? m[3]!);
  return out;
}

const HAPROXY_SECTIONS = /^(global|defaults|frontend|backend|listen|peers|resolvers|userlist|program|http-errors|ring|cache|mailers|aggregations)\b/;

function parseLines(text: string, format: 'haproxy' | 'apache' | 'netscaler' | 'crontab'): Directive[] {
  const lines = text.split(/\r\n|\r|\n/);
  const out: Directive[] = [];
  const context: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    const startLine = i + 1;
    let l = lines[i]!;
    if (format === 'apache') while (/\\\s*$/.test(l) && i + 1 < lines.length) l = l.replace(/\\\s*$/, ' ') + lines[++i]!;
    const indent = l.length - l.trimStart().length;
    let body = l.trim();
    if (!body || body.startsWith('#')) continue;
    if (format !== 'crontab') body = body.replace(/\s+#.*$/, '');
    const column = indent + 1;
    if (format === 'crontab') {
      const env = /^([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*)$/.exec(body);
      if (env) {
        out.push({ name: 'env', args: [env[1]!, env[2]!], line: startLine, column, context: [] });
        continue;
      }
      const at = /^(@\w+)\s+(.*)$/.exec(body);
      const five = /^((?:\S+\s+){4}\S+)\s+(.*)$/.exec(body);
      const m = at ?? five;
      if (m) out.push({ name: 'job', args: [m[1]!, m[2]!], line: startLine, column, context: [] });
      continue;
    }
    if (format === 'apache') {
      const close = /^<\/\s*([\w:-]+)\s*>/.exec(body);
      if (close) {
        context.pop();
        continue;
      }
      const open = /^<\s*([\w:-]+)\s*(.*?)\s*>$/.exec(body);
      if (open) {
        out.push({ name: `<${open[1]!}>`, args: splitWords(open[2]!), line: startLine, column, context: [...context] });
        context.push(`${open[1]} ${open[2]}`.trim());
        continue;
      }
    }
    const words = splitWords(body);
    if (!words.length) continue;
    if (format === 'haproxy' && HAPROXY_SECTIONS.test(words[0]!)) {
      context.length = 0;
      out.push({ name: words[0]!, args: words.slice(1), line: startLine, column, context: [] });
      context.push(words.join(' '));
      continue;
    }
    out.push({ name: words[0]!, args: words.slice(1), line: startLine, column, context: [...context] });
  }
  return out;
}

export function parseOps(text: string, format: OpsFormat): Directive[] {
  const src = text.replace(/^\uFEFF/, '');
  switch (format) {
    case 'nginx':
      return parseBraces(src, false, false);
    case 'bigip':
      return parseBraces(src, true, false);
    case 'irule':
      return parseBraces(src, true, true);
    default:
      return parseLines(src, format);
  }
}
