/**
 * Shim configuration: a file (JSON, or a small YAML subset parsed here because the shim is an
 * island that may import only `node:` built-ins) overlaid by flags. Every key is also a flag;
 * flags win over the file.
 */
import { readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export interface RenderSpec {
  template: string;
  output: string;
}

export type RestartPolicy = 'on-failure' | 'always' | 'never';

export interface ShimConfig {
  name: string;
  instance: string;
  healthPort: number;
  healthHost: string;
  appPort?: number;
  appHost: string;
  healthUrl?: string;
  logs: string[];
  logPollMs: number;
  drainSeconds: number;
  graceSeconds: number;
  etcd?: string;
  etcdTtl: number;
  etcdPrefix: string;
  advertiseHost: string;
  version: string;
  restart: RestartPolicy;
  maxRestarts: number;
  restartWindow: number;
  backoffInitial: number;
  backoffMax: number;
  render: RenderSpec[];
  command: string[];
}

/** Exit code for configuration problems (sysexits EX_CONFIG), so an orchestrator can tell them from crashes. */
export const EX_CONFIG = 78;
/** Exit code for bad flags, matching the rest of the paasport CLI. */
export const EX_USAGE = 2;

export class ShimConfigError extends Error {
  constructor(
    message: string,
    readonly exitCode: number = EX_CONFIG,
  ) {
    super(message);
  }
}

type Kind = 'string' | 'int' | 'seconds' | 'list' | 'bool';

/** The single table behind the file keys, the flags and the docs' reference. */
export const KEYS: Record<string, { kind: Kind; flag: string; help: string }> = {
  name: { kind: 'string', flag: 'name', help: 'service name (default: the command basename)' },
  instance: { kind: 'string', flag: 'instance', help: 'instance id (default: <hostname>-<pid>)' },
  healthPort: { kind: 'int', flag: 'health-port', help: 'port of the /healthz and /readyz server (default 8558; 0 = off)' },
  healthHost: { kind: 'string', flag: 'health-host', help: 'address the health server binds (default 0.0.0.0)' },
  appPort: { kind: 'int', flag: 'app-port', help: 'the app is ready when this port accepts TCP connections' },
  appHost: { kind: 'string', flag: 'app-host', help: 'host used to probe --app-port (default 127.0.0.1)' },
  healthUrl: { kind: 'string', flag: 'health-url', help: 'the app is ready when this URL answers 2xx' },
  logs: { kind: 'list', flag: 'log', help: 'log file or glob to tail and stream as JSON lines (repeatable)' },
  logPollMs: { kind: 'int', flag: 'log-poll-ms', help: 'log poll interval in ms; fs.watch events poll sooner (default 250)' },
  drainSeconds: { kind: 'seconds', flag: 'drain-seconds', help: 'seconds between not-ready and SIGTERM to the app (default 5)' },
  graceSeconds: { kind: 'seconds', flag: 'grace-seconds', help: 'seconds between SIGTERM and SIGKILL (default 20)' },
  etcd: { kind: 'string', flag: 'etcd', help: 'etcd v3 endpoint, e.g. http://etcd:2379 (registration off when unset)' },
  etcdTtl: { kind: 'int', flag: 'etcd-ttl', help: 'lease TTL in seconds (default 10)' },
  etcdPrefix: { kind: 'string', flag: 'etcd-prefix', help: 'key prefix (default /paasport/services)' },
  advertiseHost: { kind: 'string', flag: 'advertise-host', help: 'host registered in etcd (default $POD_IP or the first non-internal IPv4)' },
  version: { kind: 'string', flag: 'app-version', help: 'version registered in etcd (default $APP_VERSION or "unknown")' },
  restart: { kind: 'string', flag: 'restart', help: 'on-failure (default) | always | never' },
  maxRestarts: { kind: 'int', flag: 'max-restarts', help: 'restarts allowed within --restart-window before giving up (default 5)' },
  restartWindow: { kind: 'seconds', flag: 'restart-window', help: 'crash-loop window in seconds (default 60)' },
  backoffInitial: { kind: 'seconds', flag: 'backoff-initial', help: 'first restart delay in seconds, doubled each time (default 1)' },
  backoffMax: { kind: 'seconds', flag: 'backoff-max', help: 'restart delay cap in seconds (default 30)' },
  render: { kind: 'list', flag: 'render', help: 'render <template>:<output> before start (repeatable)' },
};

const FLAG_TO_KEY = new Map(Object.entries(KEYS).map(([k, v]) => [v.flag, k]));

type Raw = Record<string, string | string[]>;

function camel(key: string): string {
  return key.replace(/-([a-z])/g, (_m, c: string) => c.toUpperCase());
}

/** File keys may be camelCase, kebab-case, or the flag name (`log` for `logs`, `app-version`). */
function fileKey(key: string): string | undefined {
  if (key in KEYS) return key;
  const viaFlag = FLAG_TO_KEY.get(key);
  if (viaFlag) return viaFlag;
  const c = camel(key);
  if (c in KEYS) return c;
  return FLAG_TO_KEY.get(c);
}

function unquote(v: string): string {
  const t = v.trim();
  if (t.length >= 2 && ((t.startsWith('"') && t.endsWith('"')) || (t.startsWith("'") && t.endsWith("'")))) {
    return t.startsWith('"') ? (JSON.parse(t) as string) : t.slice(1, -1).replace(/''/g, "'");
  }
  return t;
}

function stripComment(line: string): string {
  // A `#` starts a comment only at the line start or after whitespace, and never inside quotes.
  let quote: string | undefined;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!;
    if (quote) {
      if (ch === quote) quote = undefined;
    } else if (ch === '"' || ch === "'") {
      quote = ch;
    } else if (ch === '#' && (i === 0 || /\s/.test(line[i - 1]!))) {
      return line.slice(0, i);
    }
  }
  return line;
}

/**
 * The YAML subset: `key: scalar`, `key: [a, b]`, and `key:` followed by `- item` lines; `#` comments;
 * plain, single- or double-quoted scalars. Anything else is rejected with its line number rather
 * than guessed at, so a config written for full YAML fails loudly.
 */
export function parseYamlSubset(text: string, file: string): Raw {
  const out: Raw = {};
  let listKey: string | undefined;
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = stripComment(lines[i]!).replace(/\s+$/, '');
    if (line.trim() === '' || line.trim() === '---') continue;
    const item = /^\s*-\s+(.*)$/.exec(line);
    if (item) {
      if (!listKey) throw new ShimConfigError(`${file}:${i + 1}: list item without a key above it`);
      (out[listKey] as string[]).push(unquote(item[1]!));
      continue;
    }
    const kv = /^([A-Za-z][\w-]*)\s*:(?:\s+(.*))?$/.exec(line);
    if (!kv || /^\s/.test(line)) {
      throw new ShimConfigError(`${file}:${i + 1}: not supported by the shim's YAML subset (flat "key: value" and "- item" lists only; or use JSON)`);
    }
    const key = kv[1]!;
    const value = kv[2]?.trim();
    if (value === undefined || value === '') {
      out[key] = [];
      listKey = key;
    } else if (value.startsWith('[') && value.endsWith(']')) {
      const inner = value.slice(1, -1).trim();
      out[key] = inner === '' ? [] : inner.split(',').map(unquote);
      listKey = undefined;
    } else {
      out[key] = unquote(value);
      listKey = undefined;
    }
  }
  return out;
}

export function readConfigFile(file: string): Raw {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new ShimConfigError(`cannot read config ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
  if (/\.json$/i.test(file) || /^\s*\{/.test(text)) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (err) {
      throw new ShimConfigError(`${file}: invalid JSON: ${(err as Error).message}`);
    }
    if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new ShimConfigError(`${file}: expected a JSON object`);
    const out: Raw = {};
    for (const [k, v] of Object.entries(parsed as Record<string, unknown>)) {
      if (Array.isArray(v)) out[k] = v.map((x) => (typeof x === 'object' && x ? renderObject(x as Record<string, unknown>) : String(x)));
      else if (v !== null && v !== undefined) out[k] = typeof v === 'object' ? renderObject(v as Record<string, unknown>) : String(v);
    }
    return out;
  }
  return parseYamlSubset(text, file);
}

/** JSON configs may spell a render entry as {"template": …, "output": …}. */
function renderObject(o: Record<string, unknown>): string {
  if (typeof o.template === 'string' && typeof o.output === 'string') return `${o.template}:${o.output}`;
  return JSON.stringify(o);
}

function num(key: string, value: string, kind: Kind): number {
  const n = Number(value);
  const ok = value.trim() !== '' && Number.isFinite(n) && n >= 0 && (kind !== 'int' || Number.isInteger(n));
  if (!ok) throw new ShimConfigError(`${KEYS[key]!.flag}: expected ${kind === 'int' ? 'a whole number' : 'a number of seconds'} ≥ 0, got "${value}"`);
  return n;
}

function defaultAdvertiseHost(): string {
  if (process.env.POD_IP) return process.env.POD_IP;
  for (const addrs of Object.values(os.networkInterfaces())) {
    for (const a of addrs ?? []) if (a.family === 'IPv4' && !a.internal) return a.address;
  }
  return '127.0.0.1';
}

export interface ParsedArgs {
  help: boolean;
  configFile?: string;
  flags: Raw;
  command: string[];
}

/**
 * Splits at the first `--`: everything after it is the app's command line, passed through untouched,
 * so the app's own flags can never be mistaken for the shim's.
 */
export function parseShimArgs(argv: string[]): ParsedArgs {
  const sep = argv.indexOf('--');
  const own = sep === -1 ? argv : argv.slice(0, sep);
  const command = sep === -1 ? [] : argv.slice(sep + 1);
  const flags: Raw = {};
  let help = false;
  let configFile: string | undefined;
  for (let i = 0; i < own.length; i++) {
    const arg = own[i]!;
    if (arg === '-h' || arg === '--help') {
      help = true;
      continue;
    }
    const m = /^--([a-z][a-z-]*)(?:=(.*))?$/.exec(arg);
    if (!m) throw new ShimConfigError(`unexpected argument "${arg}" (put the app's command after --)`, EX_USAGE);
    const flag = m[1]!;
    let value = m[2];
    if (value === undefined) {
      value = own[i + 1];
      if (value === undefined) throw new ShimConfigError(`--${flag} needs a value`, EX_USAGE);
      i++;
    }
    if (flag === 'config') {
      configFile = value;
      continue;
    }
    const key = FLAG_TO_KEY.get(flag);
    if (!key) throw new ShimConfigError(`unknown option --${flag} (see paasport run --help)`, EX_USAGE);
    if (KEYS[key]!.kind === 'list') flags[key] = [...((flags[key] as string[] | undefined) ?? []), value];
    else flags[key] = value;
  }
  return { help, configFile, flags, command };
}

export function resolveConfig(args: ParsedArgs): ShimConfig {
  const merged: Raw = {};
  if (args.configFile) {
    for (const [k, v] of Object.entries(readConfigFile(args.configFile))) {
      const key = fileKey(k);
      if (!key) throw new ShimConfigError(`${args.configFile}: unknown key "${k}"`);
      merged[key] = v;
    }
  }
  Object.assign(merged, args.flags);

  const str = (k: string): string | undefined => {
    const v = merged[k];
    if (v === undefined) return undefined;
    if (Array.isArray(v)) throw new ShimConfigError(`${k}: expected a single value, got a list`);
    return v;
  };
  const list = (k: string): string[] => {
    const v = merged[k];
    return v === undefined ? [] : Array.isArray(v) ? v : [v];
  };
  const n = (k: string, d: number): number => {
    const v = str(k);
    return v === undefined ? d : num(k, v, KEYS[k]!.kind);
  };

  if (args.command.length === 0) throw new ShimConfigError('no app command: paasport run [options] -- <command> [args...]', EX_USAGE);
  const restart = (str('restart') ?? 'on-failure') as RestartPolicy;
  if (!['on-failure', 'always', 'never'].includes(restart)) throw new ShimConfigError(`restart: expected on-failure, always or never, got "${restart}"`);
  const appPortRaw = str('appPort');
  const healthUrl = str('healthUrl');
  if (healthUrl !== undefined && !/^https?:\/\//.test(healthUrl)) throw new ShimConfigError(`health-url: expected an http(s) URL, got "${healthUrl}"`);
  const etcd = str('etcd');
  if (etcd !== undefined && !/^https?:\/\//.test(etcd)) throw new ShimConfigError(`etcd: expected an http(s) URL, got "${etcd}"`);

  const render = list('render').map((spec) => {
    const i = spec.indexOf(':');
    if (i <= 0 || i === spec.length - 1) throw new ShimConfigError(`render: expected <template>:<output>, got "${spec}"`);
    return { template: spec.slice(0, i), output: spec.slice(i + 1) };
  });

  const backoffInitial = n('backoffInitial', 1);
  return {
    name: str('name') ?? path.basename(args.command[0]!).replace(/\.[^.]*$/, ''),
    instance: str('instance') ?? `${os.hostname()}-${process.pid}`,
    healthPort: n('healthPort', 8558),
    healthHost: str('healthHost') ?? '0.0.0.0',
    appPort: appPortRaw === undefined ? undefined : num('appPort', appPortRaw, 'int'),
    appHost: str('appHost') ?? '127.0.0.1',
    healthUrl,
    logs: list('logs'),
    logPollMs: Math.max(10, n('logPollMs', 250)),
    drainSeconds: n('drainSeconds', 5),
    graceSeconds: n('graceSeconds', 20),
    etcd: etcd?.replace(/\/+$/, ''),
    etcdTtl: Math.max(2, n('etcdTtl', 10)),
    etcdPrefix: (str('etcdPrefix') ?? '/paasport/services').replace(/\/+$/, ''),
    advertiseHost: str('advertiseHost') ?? defaultAdvertiseHost(),
    version: str('version') ?? process.env.APP_VERSION ?? 'unknown',
    restart,
    maxRestarts: n('maxRestarts', 5),
    restartWindow: n('restartWindow', 60),
    backoffInitial,
    backoffMax: Math.max(backoffInitial, n('backoffMax', 30)),
    render,
    command: args.command,
  };
}

export function usage(): string {
  const rows = Object.values(KEYS).map((k) => {
    const flag = `--${k.flag} ${k.kind === 'bool' ? '' : '<v>'}`;
    return `  ${flag.padEnd(24)} ${k.help}`;
  });
  return `Usage: paasport run [--config paasport-shim.yaml|.json] [options] -- <command> [args...]

Runs <command> as a platform-friendly instance: renders config templates, serves /healthz and
/readyz, streams log files as JSON lines, forwards signals, drains on SIGTERM, restarts with
backoff, and registers in etcd. Every option is also a config-file key (camelCase or kebab-case).

Options:
  --config <file>          JSON, or YAML limited to flat keys and lists of strings
${rows.join('\n')}
  -h, --help               show this help

Exit codes: the app's exit code (128+signal when it was killed); 78 config error
(e.g. a missing \${VAR}); 2 bad options; 127/126 command not found/not executable; the app's
last code (or 1) after a crash loop; 70 internal error. See docs/runtime-shim.md.
`;
}
