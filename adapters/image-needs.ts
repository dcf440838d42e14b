/**
 * Native code and external commands cannot be generated away: the image has to contain them (or the
 * code has to stop needing them). Generated: for each native library, addon and command the scan
 * found, a line in MIGRATION.md and a `# needs:` comment in the Dockerfile where the image author
 * installs things, so nothing the app loads or runs from the system is discovered in production.
 */
import type { Finding } from '../core/index.js';
import type { Output } from './output.js';
import { around, oneLine } from './text.js';
import type { Context } from './types.js';

export interface ImageNeed {
  concern: 'native-code' | 'process-exec';
  /** what the image must contain, as the Dockerfile names it */
  what: string;
  kind: 'library' | 'addon' | 'command' | 'runtime';
  /** where and how the app uses it */
  uses: Array<{ how: string; finding: Finding }>;
}

const base = (p: string) => p.split(/[\\/]/).pop() ?? p;
const simple = (type: string | undefined) => type?.split('.').pop();

/** A library name as the JVM looks it up on Linux: loadLibrary("x") → libx.so; load(path) → the path. */
function javaLibrary(f: Finding): string {
  const v = f.captures?.value;
  if (!v) return 'a native library whose name is computed at runtime';
  if (/\.dll$/i.test(v)) return `${oneLine(base(v), 60)} (a Windows DLL: the Linux image needs a .so build of it)`;
  if (f.captures?.method === 'load' || v.includes('/')) return oneLine(v, 100);
  return `lib${oneLine(v, 60)}.so`;
}

/** The program a process call starts: the first string of the command line (a shell's -c script: its first word). */
function javaCommand(f: Finding, source: string | undefined): string | undefined {
  const text = `${f.snippet}\n${around(source, f.line, 0, 2)}`;
  const call = /(?:\bexec|\bProcessBuilder|\bcommand)\s*\(\s*(?:new\s+String\s*\[\s*\]\s*\{\s*|(?:Arrays\.asList|List\.of)\s*\(\s*)?((?:"(?:[^"\\]|\\.)*"\s*,?\s*)+)/.exec(text);
  if (!call) return undefined;
  const literals = [...call[1]!.matchAll(/"((?:[^"\\]|\\.)*)"/g)].map((m) => m[1]!);
  return programOf(literals);
}

function programOf(words: string[]): string | undefined {
  const first = words[0]?.trim().split(/\s+/);
  if (!first || !first[0]) return undefined;
  const shell = /^(?:\/(?:usr\/)?bin\/)?(?:sh|bash|cmd(?:\.exe)?)$/i.test(first[0]);
  if (shell) {
    const script = first.length > 2 && /^[-/]c$/i.test(first[1]!) ? first.slice(2).join(' ') : words.slice(words.findIndex((w) => /^[-/]c$/i.test(w.trim())) + 1)[0];
    const prog = script?.trim().split(/\s+/)[0];
    return prog ? `${prog} (through ${first[0]})` : first[0];
  }
  return first[0];
}

function nodeCommand(f: Finding): string | undefined {
  if (/\bfork\b/.test(f.captures?.call ?? '')) {
    const script = f.captures?.value ?? /fork\s*\(\s*['"`]([^'"`]+)/.exec(f.snippet)?.[1];
    return script ? `${script} (a Node.js script, forked: needs only node)` : undefined;
  }
  const v = f.captures?.value;
  if (v) return programOf([v]);
  const lit = /\(\s*(['"`])((?:(?!\1)[^\\]|\\.)*)\1/.exec(f.snippet)?.[2];
  return lit && !lit.includes('${') ? programOf([lit]) : undefined;
}

function needOf(f: Finding, source: string | undefined): Omit<ImageNeed, 'uses'> & { how: string } {
  const c = f.captures ?? {};
  const how = (h: string | undefined, fallback: string) => oneLine(h ?? fallback, 60);
  if (f.concern === 'process-exec') {
    const cmd = f.file.endsWith('.java') ? javaCommand(f, source) : nodeCommand(f);
    const api = f.file.endsWith('.java') ? [simple(c.type), c.method].filter(Boolean).join('.') || 'a process call' : c.call ?? 'a process call';
    return { concern: 'process-exec', kind: 'command', what: cmd ? oneLine(cmd, 100) : 'a command built at runtime (read the code)', how: how(api, 'a process call') };
  }
  switch (true) {
    case /native-library-load/.test(f.ruleId):
      return { concern: 'native-code', kind: 'library', what: javaLibrary(f), how: how([simple(c.type), c.method].filter(Boolean).join('.'), 'System.loadLibrary') };
    case /jna/.test(f.ruleId) && f.file.endsWith('.java'): {
      const lib = /Native\.(?:load|loadLibrary|register)\s*\(\s*"([^"]+)"/.exec(f.snippet)?.[1];
      const iface = /interface\s+(\w+)/.exec(f.snippet)?.[1];
      return { concern: 'native-code', kind: 'library', what: lib ? `lib${oneLine(lib, 60)}.so` : `the native library behind ${iface ? `JNA interface ${iface}` : 'this JNA call'}`, how: 'JNA' };
    }
    case /native-library-dependency/.test(f.ruleId):
      return { concern: 'native-code', kind: 'library', what: `the native libraries ${oneLine(c.value ?? c.key ?? 'this dependency', 80)} calls`, how: 'dependency' };
    case /native-addon-(loader|require)/.test(f.ruleId): {
      const name = c.value ? base(c.value).replace(/\.node$/, '') : undefined;
      return { concern: 'native-code', kind: 'addon', what: `${name ? `${oneLine(name, 60)}.node` : 'a native addon'} (built for linux in the image: python3, make, g++)`, how: how(c.call, 'require') };
    }
    case /native-addon-dependency/.test(f.ruleId):
      return { concern: 'native-code', kind: 'addon', what: `${oneLine(`${c.key ?? 'a package'}${c.value ? `@${c.value}` : ''}`, 80)} (a native addon: a prebuilt binary for linux, or python3, make, g++ at npm ci)`, how: 'dependency' };
    case /old-node-engine/.test(f.ruleId):
      return { concern: 'native-code', kind: 'runtime', what: `Node.js ${oneLine(c.value ?? 'older than 16', 40)} (engines.node), while the image runs Node 20: test the app on it`, how: 'engines.node' };
    case /native-method/.test(f.ruleId):
      return { concern: 'native-code', kind: 'library', what: `the native library implementing ${oneLine(`${base(f.file).replace(/\.java$/, '')}.${c.key ?? 'its native methods'}`, 80)}`, how: 'native method' };
    default:
      return { concern: 'native-code', kind: 'library', what: oneLine(f.message, 100), how: oneLine(f.ruleId, 60) };
  }
}

/** Every native library, addon and command the image must contain, one entry per thing, in finding order. */
export function imageNeeds(ctx: Pick<Context, 'findings' | 'sources'>): ImageNeed[] {
  const needs: ImageNeed[] = [];
  const libraryOfFile = new Map<string, ImageNeed>();
  const relevant = ctx.findings.filter((f) => f.concern === 'native-code' || f.concern === 'process-exec');
  // Loads first, so a native method joins the library its class loads whatever the line order.
  const ordered = [...relevant.filter((f) => !/native-method/.test(f.ruleId)), ...relevant.filter((f) => /native-method/.test(f.ruleId))];
  for (const f of ordered) {
    const n = needOf(f, ctx.sources[f.file]);
    const use = { how: n.how === 'native method' && f.captures?.key ? `native method ${oneLine(f.captures.key, 60)}` : n.how, finding: f };
    const loaded = /native-method/.test(f.ruleId) ? libraryOfFile.get(f.file) : undefined;
    const same = loaded ?? needs.find((x) => x.concern === n.concern && x.what === n.what);
    if (same) {
      same.uses.push(use);
      continue;
    }
    const need: ImageNeed = { concern: n.concern, kind: n.kind, what: n.what, uses: [use] };
    if (/native-library-load/.test(f.ruleId) && f.captures?.value) libraryOfFile.set(f.file, need);
    needs.push(need);
  }
  return needs;
}

const where = (f: Finding) => `${f.file}:${f.line}`;

/** The Dockerfile's `# needs:` lines (without the prefix). */
export function dockerNeeds(needs: readonly ImageNeed[]): string[] {
  return needs.map((n) => {
    const uses = n.uses.slice(0, 3).map((u) => `${u.how} at ${where(u.finding)}`);
    return oneLine(`${n.what} (${uses.join('; ')}${n.uses.length > 3 ? `; +${n.uses.length - 3} more` : ''})`, 400);
  });
}

export function generateImageNeeds(ctx: Context, out: Output, needs: readonly ImageNeed[]): void {
  const cell = (s: string) => s.replace(/\|/g, '\\|');
  for (const concern of ['native-code', 'process-exec'] as const) {
    const mine = needs.filter((n) => n.concern === concern);
    if (mine.length === 0) continue;
    out.section(concern, [
      `### What the image must contain (also \`# needs:\` lines in the Dockerfile)`,
      '',
      '| needs | used by | where |',
      '|---|---|---|',
      ...mine.map((n) => `| ${cell(n.what)} | ${cell([...new Set(n.uses.map((u) => u.how))].join(', '))} | ${n.uses.slice(0, 6).map((u) => `\`${cell(where(u.finding))}\``).join(', ')}${n.uses.length > 6 ? ` +${n.uses.length - 6} more` : ''} |`),
    ]);
    out.piece(concern, 'Dockerfile');
  }
  const unit = `${ctx.options.unit.cpu} CPU, ${ctx.options.unit.memory}`;
  const has = (kind: ImageNeed['kind']) => needs.some((n) => n.kind === kind);
  if (has('library')) {
    out.note('native-code', 'Build or install each native library for the image\'s OS and CPU (check the cluster\'s nodes: linux/amd64 or linux/arm64), put it on java.library.path (-Djava.library.path, or a folder in LD_LIBRARY_PATH), and run the code path that loads it once in the built image; prefer a pure-Java replacement where one exists.');
  }
  if (has('addon')) {
    out.note('native-code', 'npm ci in the image build compiles native addons for Node 20 on Linux: install python3, make and g++ before it (the Dockerfile marks the place) unless every addon ships a prebuilt binary for linux (check the npm ci output), and prefer pure-JavaScript replacements (bcryptjs for bcrypt, for example).');
  }
  if (has('runtime')) out.note('native-code', 'The image runs Node 20; the app declares an older Node: run its tests on Node 20 and update engines.node and the dependencies that break.');
  if (needs.some((n) => n.concern === 'process-exec')) {
    out.note('process-exec', `Install each command in the image (the version the old host had), at the path the code uses, or replace it with a library or a separate service. A child process shares the container's limits (one unit: ${unit}): bound how many run at once, set a timeout, and check the exit code and stderr.`);
  }
}
