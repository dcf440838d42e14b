/**
 * Turns the values the scan extracted (hosts, ports, URLs, paths, credentials) into named
 * environment variables, plus the variables the generated adapters read. Names are derived only from
 * the findings, in a fixed order, so the same scan always yields the same names.
 */
import type { Concern, Finding } from '../core/index.js';
import type { EnvRead } from './env-reads.js';

export interface EnvUsage {
  file: string;
  line: number;
  ruleId: string;
  key?: string;
}

export interface EnvVar {
  name: string;
  /** secrets never carry a default and go to the Secret template, not the ConfigMap */
  secret: boolean;
  /** the original (non-secret) value, used as the development default */
  default?: string;
  description: string;
  usages: EnvUsage[];
  /** who reads it: an extracted value of the app, or a generated adapter */
  origin: 'app' | 'adapter';
  /** where the app's code or config already reads it (see env-reads.ts) */
  reads?: EnvRead[];
}

export interface EnvPlan {
  vars: EnvVar[];
  /** finding id → the variable that replaces its value */
  byFinding: Map<string, EnvVar>;
  /** every environment read and system-property read found in the app, sorted by file and line */
  reads: EnvRead[];
}

/** Names that hold secrets: such a variable goes to the Secret template and never carries a value. */
export const SECRET_NAME = /PASS|SECRET|TOKEN|KEY|CRED|PWD/;

const CI_FILE = /(^|\/)(\.github|\.gitlab|\.circleci|\.buildkite)\/|(^|\/)(\.gitlab-ci\.ya?ml|Jenkinsfile|azure-pipelines\.ya?ml|\.travis\.ya?ml)$/;

/** A literal worth a variable: not an interpolation or placeholder, and something more than punctuation. */
function usableValue(v: string): boolean {
  // globs name many files, not one setting
  const glob = v.includes('*') || (v.includes('?') && !v.includes('://'));
  return v.trim() !== '' && !glob && !/\$\{|\{\{|%\(|#\{/.test(v) && /[A-Za-z0-9]/.test(v);
}

const ENV_CONCERNS: ReadonlySet<Concern> = new Set(['host-bound-config', 'local-credentials', 'local-storage', 'file-upload']);

/** `spring.datasource.url` → SPRING_DATASOURCE_URL, `mongoUri` → MONGO_URI. */
export function toEnvName(raw: string): string {
  const name = raw
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/[^A-Za-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .replace(/_+/g, '_')
    .toUpperCase();
  if (name === '') return 'VALUE';
  return /^[0-9]/.test(name) ? `V_${name}` : name;
}

const URL_RE = /^[a-z][a-z0-9+.:-]*:\/\/(?:[^@/]*@)?\[?([^/:?#\]]+)/i;

function hostOf(value: string): string | undefined {
  const m = URL_RE.exec(value.replace(/^jdbc:/i, ''));
  if (m) return m[1];
  if (/^(\d{1,3}\.){3}\d{1,3}(:\d+)?$/.test(value) || /^[a-z0-9-]+(\.[a-z0-9-]+)+(:\d+)?$/i.test(value)) return value.replace(/:\d+$/, '');
  return undefined;
}

function suffixFor(kind: string | undefined, value: string): string {
  const k = (kind ?? '').toLowerCase();
  if (k.includes('port') || /^\d{2,5}$/.test(value)) return 'PORT';
  if (k.includes('path') || k.includes('dir') || value.startsWith('/') || /^[A-Za-z]:[\\/]/.test(value) || (/[\\/]/.test(value) && !value.includes('://'))) return 'DIR';
  if (k.includes('url') || URL_RE.test(value)) return 'URL';
  return 'HOST';
}

/** A name for a finding without a key: from the value's host or path, else from the file and line. */
function nameWithoutKey(f: Finding, value: string | undefined): string {
  if (value) {
    const suffix = suffixFor(f.captures?.kind, value);
    if (suffix === 'DIR') {
      const segs = value.split(/[\\/]+/).filter((s) => s && s !== '.' && s !== '..' && !/^[A-Za-z]:$/.test(s));
      return toEnvName(`${segs.slice(-2).join('_') || 'root'}_DIR`);
    }
    const host = hostOf(value);
    if (host && !/^(localhost|127\.0\.0\.1|0\.0\.0\.0)$/i.test(host)) return toEnvName(`${host.split('.').slice(0, 2).join('_')}_${suffix}`);
    if (host) {
      const scheme = /^(?:jdbc:)?([a-z][a-z0-9+]*):/i.exec(value)?.[1];
      if (scheme) return toEnvName(`${scheme}_${suffix}`);
    }
  }
  const base = f.file.split('/').pop() ?? f.file;
  return toEnvName(`${base}_L${f.line}`);
}

/** The last segment of a dotted or nested key is what a reader recognizes (`db.password` → DB_PASSWORD). */
function nameFromKey(key: string, file: string): string {
  // `.env` keys already are the variable names the app reads.
  if (/(^|\/)\.env(\.[\w-]+)?$/.test(file)) return key;
  return toEnvName(key);
}

function describe(f: Finding): string {
  return `${f.concern === 'local-credentials' ? 'credential' : f.captures?.kind ?? f.concern} from ${f.file}:${f.line}`;
}

interface Candidate {
  finding: Finding;
  base: string;
  secret: boolean;
  value?: string;
}

export function planEnv(findings: readonly Finding[], adapterVars: EnvVar[]): EnvPlan {
  const candidates: Candidate[] = [];
  for (const f of findings) {
    if (!ENV_CONCERNS.has(f.concern)) continue;
    // CI definitions are not deployed with the app; their secrets belong to the CI system.
    if (CI_FILE.test(f.file)) continue;
    // System.getProperty("java.io.tmpdir"): the literal names a setting the app already looks up
    // (env-reads.ts lists it), it is not a value to move into one
    if (/^get(Property|env)$/.test(f.captures?.method ?? '') && f.captures?.type === 'java.lang.System') continue;
    const secret = f.concern === 'local-credentials';
    const key = f.captures?.key;
    // A credential without a key has nothing to name a variable after: it stays a manual step.
    if (secret && !key) continue;
    // A credential's value is never read; for the others the literal is the point.
    const value = secret ? undefined : f.captures?.value;
    if (!secret && (value === undefined || !usableValue(value))) continue;
    if ((f.concern === 'local-storage' || f.concern === 'file-upload') && !key && !value) continue;
    const base = key ? nameFromKey(key, f.file) : nameWithoutKey(f, value);
    candidates.push({ finding: f, base: secret && !SECRET_NAME.test(base) ? `${base}_SECRET` : base, secret, value });
  }
  const vars: EnvVar[] = [];
  const byName = new Map<string, EnvVar>();
  const byFinding = new Map<string, EnvVar>();
  const taken = new Set(adapterVars.map((v) => v.name));
  for (const c of candidates) {
    // The same name for the same value (or the same secret key) is one variable used in several places.
    let name = c.base;
    let n = 1;
    for (;;) {
      const existing = byName.get(name);
      if (existing && existing.secret === c.secret && existing.default === c.value) break;
      if (!existing && !taken.has(name)) break;
      n += 1;
      name = `${c.base}_${n}`;
    }
    let v = byName.get(name);
    if (!v) {
      v = { name, secret: c.secret, description: describe(c.finding), usages: [], origin: 'app' };
      if (c.value !== undefined) v.default = c.value;
      byName.set(name, v);
      vars.push(v);
    }
    const usage: EnvUsage = { file: c.finding.file, line: c.finding.line, ruleId: c.finding.ruleId };
    if (c.finding.captures?.key) usage.key = c.finding.captures.key;
    v.usages.push(usage);
    byFinding.set(c.finding.id, v);
  }
  return { vars: [...vars, ...adapterVars], byFinding, reads: [] };
}

/** How the description of a variable only the app's reads introduced begins. */
export const READ_BY_APP = 'read by the app at';

/** Set by the operating system, the image or the Deployment itself: not the app's configuration. */
export const SYSTEM_VAR = /^(HOME|PATH|HOSTNAME|USER|USERNAME|LOGNAME|PWD|SHELL|TMPDIR|TEMP|TMP|LANG|LC_[A-Z]+|TERM|TZ|JAVA_HOME|CATALINA_HOME|CATALINA_BASE|JBOSS_HOME|WLP_[A-Z_]+|POD_IP|npm_\w+|KUBERNETES_[A-Z_]+)$/;

export interface ReadOptions {
  /** the image sets NODE_ENV=production; a ConfigMap entry would override it */
  node: boolean;
  /** the port the Deployment and the shim expect the app on */
  appPort: number;
}

/**
 * Adds the variables the app already reads. A name that a finding or an adapter already gave a
 * variable is that variable (one entry, with its reads); any other becomes a variable of its own,
 * its default the code's literal fallback, empty for a secret. Placed after the findings' variables,
 * before the adapters', so the plan reads from the app's own settings to paasport's.
 */
export function addEnvReads(plan: EnvPlan, reads: readonly EnvRead[], opts: ReadOptions): void {
  plan.reads = [...reads];
  const byName = new Map(plan.vars.map((v) => [v.name, v]));
  const added: EnvVar[] = [];
  for (const r of reads) {
    if (r.kind !== 'env' || SYSTEM_VAR.test(r.name)) continue;
    let v = byName.get(r.name);
    if (!v) {
      const secret = SECRET_NAME.test(r.name.toUpperCase());
      v = { name: r.name, secret, description: `${READ_BY_APP} ${r.file}:${r.line}`, usages: [], origin: 'app' };
      if (!secret) {
        const platform = r.name === 'PORT' ? String(opts.appPort) : r.name === 'NODE_ENV' && opts.node ? 'production' : undefined;
        if (platform !== undefined) v.description = r.name === 'PORT' ? 'the port the Deployment and the shim expect the app on' : 'production, as the image sets it';
        const def = platform ?? reads.find((x) => x.kind === 'env' && x.name === r.name && x.default !== undefined)?.default;
        if (def !== undefined) v.default = def;
      }
      byName.set(r.name, v);
      added.push(v);
    }
    (v.reads ??= []).push(r);
  }
  const firstAdapter = plan.vars.findIndex((v) => v.origin === 'adapter');
  plan.vars.splice(firstAdapter < 0 ? plan.vars.length : firstAdapter, 0, ...added);
}

/** An embedded database file is local storage too, but its remedy is a managed database, not a blob store. */
export function isEmbeddedDatabase(f: Finding): boolean {
  return /embedded|database|derby|hsql|sqlite|(^|\/)h2\b/i.test(f.ruleId) || /^jdbc:(h2|derby|hsqldb|sqlite):/i.test(f.captures?.value ?? '');
}

export function needsBlobStore(findings: readonly Finding[]): boolean {
  return findings.some((f) => (f.concern === 'local-storage' || f.concern === 'file-upload') && !isEmbeddedDatabase(f));
}

/** Variables the generated adapters read, declared only for the concerns the scan found. */
export function adapterEnv(concerns: ReadonlySet<Concern>, name: string, findings: readonly Finding[] = []): EnvVar[] {
  const out: EnvVar[] = [];
  const add = (n: string, secret: boolean, def: string | undefined, description: string) => {
    const v: EnvVar = { name: n, secret, description, usages: [], origin: 'adapter' };
    if (def !== undefined) v.default = def;
    out.push(v);
  };
  if (needsBlobStore(findings)) {
    add('BLOB_STORE', false, 'local', 'blob store backend: local (development) or s3');
    add('BLOB_LOCAL_DIR', false, './data/blobs', 'root folder of the local blob store');
    add('S3_ENDPOINT', false, 'http://minio:9000', 'S3-compatible endpoint (path-style addressing)');
    add('S3_REGION', false, 'us-east-1', 'S3 region used for request signing');
    add('S3_BUCKET', false, name, 'bucket holding the app\'s files');
    add('S3_ACCESS_KEY_ID', true, undefined, 'S3 access key id');
    add('S3_SECRET_ACCESS_KEY', true, undefined, 'S3 secret access key');
  }
  if (concerns.has('session-state') || concerns.has('in-memory-cache')) {
    add('REDIS_URL', false, 'redis://redis:6379', 'Redis for sessions and the shared cache tier');
  }
  if (concerns.has('session-state')) add('SESSION_SECRET', true, undefined, 'secret signing the session cookie');
  if (concerns.has('in-memory-cache')) {
    add('CACHE_LOCAL_CAPACITY', false, '1000', 'entries kept in local memory before overflowing to Redis');
    add('CACHE_TTL_SECONDS', false, '300', 'time to live of cached entries');
  }
  if (concerns.has('file-logging')) add('LOG_LEVEL', false, 'info', 'minimum level written to stdout');
  return out;
}
