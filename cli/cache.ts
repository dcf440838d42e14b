/**
 * Incremental cache of per-file results. An entry is only ever used when everything that could
 * change a file's result is unchanged: the file's bytes, its path, the rule catalog, paasport's
 * version, the engine and analyzer code, the parser libraries and the scan options that reach the
 * analyzers. All of that is folded into one key; the entry repeats the key, path and content hash
 * and carries a checksum of its payload, so a corrupt, truncated, tampered or foreign entry is
 * recomputed, never trusted. Every cache failure degrades to "no cache", never to a failed scan.
 *
 * Layout: <dir>/.gitignore ("*"), <dir>/<base-prefix>/<k0k1>/<key>.entry, where an entry is one JSON
 * header line followed by the payload JSON the header's checksum covers.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FileResult, Notice, Rule } from '../core/index.js';
import { PACKAGE_ROOT, VERSION } from './paths.js';
import type { FileStat } from './workspace.js';

const FORMAT = 'paasport-cache/1';
/** Key folders of other catalogs/versions left untouched this long are removed. */
const STALE_MS = 7 * 24 * 3600 * 1000;

/** What a file turned into: analyzed text, or skipped when decoding (e.g. binary). */
export type CachedOutcome = { kind: 'text'; result: FileResult; notice?: Notice } | { kind: 'skipped'; reason: string };

export interface CacheConfig {
  dir: string;
  /** hash of everything but the file itself (see cacheBase) */
  base: string;
}

export function sha256(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

/**
 * Every cache file has one shape: a JSON header line whose `checksum` is the sha256 of the JSON body
 * that follows. Returns the header and the parsed body only when the file exists, both parse and the
 * checksum holds; the caller then checks the header's own fields.
 */
export function readChecked<H extends { checksum: string }>(file: string): { header: H; body: unknown } | undefined {
  try {
    const raw = readFileSync(file, 'utf8');
    const nl = raw.indexOf('\n');
    if (nl < 0) return undefined;
    const header = JSON.parse(raw.slice(0, nl)) as H;
    const body = raw.slice(nl + 1);
    if (!header || header.checksum !== sha256(body)) return undefined;
    return { header, body: JSON.parse(body) as unknown };
  } catch {
    return undefined;
  }
}

/**
 * Writes a cache file atomically (temp file + rename), so a concurrent scan never reads half of one.
 * A failure (full disk, read-only or vanished folder) costs the next scan time, never this scan its
 * result, so it is swallowed.
 */
export function writeChecked(file: string, header: Record<string, unknown>, body: unknown): void {
  try {
    const text = JSON.stringify(body);
    const tmp = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
    writeFileSync(tmp, `${JSON.stringify({ ...header, checksum: sha256(text) })}\n${text}`);
    renameSync(tmp, file);
  } catch {
    // see above
  }
}

/** Hash of the whole catalog: any edit to any rule (match, message, remediation…) invalidates every entry. */
export function catalogHash(rules: readonly Rule[]): string {
  const h = createHash('sha256');
  for (const r of [...rules].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))) h.update(JSON.stringify(r)).update('\0');
  return h.digest('hex');
}

let engineHashMemo: string | undefined;

/**
 * Fingerprint of the code that produces results: core/ and analyzers/ as they are loaded (dist/*.js
 * when built, *.ts under tsx) and the installed versions of paasport's runtime dependencies (the
 * parsers). Development builds keep one version number while the analyzers change; this keeps
 * their caches honest.
 */
export function engineHash(): string {
  if (engineHashMemo) return engineHashMemo;
  const h = createHash('sha256');
  const here = path.dirname(fileURLToPath(import.meta.url));
  for (const dir of ['core', 'analyzers']) {
    const abs = path.join(here, '..', dir);
    if (!existsSync(abs)) continue;
    const files = (readdirSync(abs, { recursive: true }) as string[]).filter((f) => /\.(js|ts|mjs|json)$/.test(f) && !f.endsWith('.map')).sort();
    for (const f of files) h.update(`${dir}/${f}\0`).update(readFileSync(path.join(abs, f))).update('\0');
  }
  const pkg = JSON.parse(readFileSync(path.join(PACKAGE_ROOT, 'package.json'), 'utf8')) as { dependencies?: Record<string, string> };
  for (const dep of Object.keys(pkg.dependencies ?? {}).sort()) {
    let version = 'missing';
    try {
      version = (JSON.parse(readFileSync(path.join(PACKAGE_ROOT, 'node_modules', dep, 'package.json'), 'utf8')) as { version: string }).version;
    } catch {
      // hoisted elsewhere or absent: the declared range still distinguishes upgrades
      version = pkg.dependencies?.[dep] ?? 'missing';
    }
    h.update(`${dep}@${version}\0`);
  }
  engineHashMemo = h.digest('hex');
  return engineHashMemo;
}

export function cacheBase(rules: readonly Rule[], analyzerIds: readonly string[], options: Record<string, unknown>): string {
  return sha256([FORMAT, VERSION, engineHash(), catalogHash(rules), [...analyzerIds].sort().join(','), JSON.stringify(options)].join('\n'));
}

export function defaultCacheDir(root: string): string {
  return path.join(root, '.paasport-cache');
}

/**
 * Prepares the cache folder. Returns undefined when it cannot be written (read-only checkout, CI
 * image, permissions): the scan then simply runs without a cache.
 */
export function openCache(dir: string, base: string): CacheConfig | undefined {
  try {
    mkdirSync(dir, { recursive: true });
    const ignore = path.join(dir, '.gitignore');
    if (!existsSync(ignore)) writeFileSync(ignore, '# paasport cache: safe to delete\n*\n');
    const bucket = path.join(dir, base.slice(0, 16));
    mkdirSync(bucket, { recursive: true });
    const probe = path.join(bucket, `.probe-${process.pid}`);
    writeFileSync(probe, '');
    rmSync(probe, { force: true });
    pruneStale(dir, base.slice(0, 16));
    return { dir, base };
  } catch {
    return undefined;
  }
}

function pruneStale(dir: string, keep: string): void {
  const now = Date.now();
  for (const name of readdirSync(dir)) {
    if (name === keep || !/^[0-9a-f]{16}$/.test(name)) continue;
    const abs = path.join(dir, name);
    try {
      if (now - statSync(abs).mtimeMs > STALE_MS) rmSync(abs, { recursive: true, force: true });
    } catch {
      // another scan may be pruning it at the same time
    }
  }
}

function entryKey(cache: CacheConfig, rel: string, contentHash: string): string {
  return sha256(`${cache.base}\0${rel}\0${contentHash}`);
}

function entryPath(cache: CacheConfig, key: string): string {
  return path.join(cache.dir, cache.base.slice(0, 16), key.slice(0, 2), `${key}.entry`);
}

interface EntryHeader {
  format: string;
  key: string;
  path: string;
  contentHash: string;
  checksum: string;
}

/** Reads an entry; anything short of a perfect, self-consistent match is a miss. */
export function cacheGet(cache: CacheConfig, rel: string, contentHash: string): CachedOutcome | undefined {
  const key = entryKey(cache, rel, contentHash);
  const read = readChecked<EntryHeader>(entryPath(cache, key));
  if (!read) return undefined;
  const { header, body } = read;
  if (header.format !== FORMAT || header.key !== key || header.path !== rel || header.contentHash !== contentHash) return undefined;
  const outcome = body as CachedOutcome;
  return isValidOutcome(outcome, rel) ? outcome : undefined;
}

function isValidOutcome(o: CachedOutcome, rel: string): boolean {
  if (!o || typeof o !== 'object') return false;
  if (o.kind === 'skipped') return typeof o.reason === 'string' && o.reason.length > 0;
  if (o.kind !== 'text') return false;
  const r = o.result;
  if (!r || r.path !== rel || !Array.isArray(r.findings) || !Array.isArray(r.errors) || typeof r.summaries !== 'object' || r.summaries === null) return false;
  if (o.notice !== undefined && (typeof o.notice.message !== 'string' || o.notice.file !== rel)) return false;
  return (
    r.findings.every((f) => f && f.file === rel && typeof f.ruleId === 'string' && typeof f.id === 'string' && Number.isInteger(f.line) && f.line >= 1) &&
    r.errors.every((e) => e && e.file === rel && typeof e.message === 'string')
  );
}

const madeDirs = new Set<string>();

/** Writes an entry atomically (temp file + rename), so a concurrent scan never reads half of one. */
export function cacheSet(cache: CacheConfig, rel: string, contentHash: string, outcome: CachedOutcome): void {
  const key = entryKey(cache, rel, contentHash);
  const file = entryPath(cache, key);
  const dir = path.dirname(file);
  try {
    if (!madeDirs.has(dir)) {
      mkdirSync(dir, { recursive: true });
      madeDirs.add(dir);
    }
  } catch {
    return; // as writeChecked
  }
  writeChecked(file, { format: FORMAT, key, path: rel, contentHash }, outcome);
}

/**
 * The stat index: every outcome of a root's last scan, with each file's size, mtime, ctime and inode,
 * in one file. A warm re-scan then stats files instead of reading and hashing them (as git's index
 * does) and reads one file instead of one entry per file. A file whose mtime is within RACY_MS of
 * the index's writing could have changed again in the same clock tick, so it is read and hashed as
 * usual ("racy git"); so is any file whose stat differs. The index, too, is checksummed and ignored
 * unless perfect.
 */
/** a file's stat as discovery saw it (size, mtime, ctime, inode) */
export type FileStamp = FileStat;

export interface IndexEntry extends FileStamp {
  hash: string;
  outcome: CachedOutcome;
}

interface IndexHeader {
  format: string;
  base: string;
  root: string;
  writtenAt: number;
  checksum: string;
}

const RACY_MS = 2000;

function indexPath(cache: CacheConfig, root: string, variant: string): string {
  return path.join(cache.dir, cache.base.slice(0, 16), `index-${sha256(`${path.resolve(root)}\0${variant}`).slice(0, 16)}.json`);
}

export class StatIndex {
  private constructor(
    private readonly entries: Map<string, IndexEntry>,
    private readonly writtenAt: number,
  ) {}

  static read(cache: CacheConfig, root: string, variant: string): StatIndex {
    const read = readChecked<IndexHeader>(indexPath(cache, root, variant));
    if (!read) return new StatIndex(new Map(), 0);
    const { header, body } = read;
    if (header.format !== FORMAT || header.base !== cache.base || header.root !== path.resolve(root) || typeof header.writtenAt !== 'number' || !Array.isArray(body)) return new StatIndex(new Map(), 0);
    const entries = new Map<string, IndexEntry>();
    for (const [rel, e] of body as Array<[string, IndexEntry]>) {
      if (typeof rel === 'string' && e && typeof e.hash === 'string' && isValidOutcome(e.outcome, rel)) entries.set(rel, e);
    }
    return new StatIndex(entries, header.writtenAt);
  }

  get size(): number {
    return this.entries.size;
  }

  /** The outcome recorded for this file, when its stat proves it unchanged. */
  lookup(rel: string, stamp: FileStamp): IndexEntry | undefined {
    const e = this.entries.get(rel);
    if (!e || e.size !== stamp.size || e.mtimeMs !== stamp.mtimeMs || e.ctimeMs !== stamp.ctimeMs || e.ino !== stamp.ino) return undefined;
    if (Math.max(stamp.mtimeMs, stamp.ctimeMs) + RACY_MS >= this.writtenAt) return undefined;
    return e;
  }

  /** Replaces the index with this scan's outcomes (atomically; failures only cost the next scan time). */
  static write(cache: CacheConfig, root: string, variant: string, entries: ReadonlyMap<string, IndexEntry>, writtenAt = Date.now()): void {
    writeChecked(indexPath(cache, root, variant), { format: FORMAT, base: cache.base, root: path.resolve(root), writtenAt }, [...entries]);
  }
}
