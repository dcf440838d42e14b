/**
 * Log streaming. The app's stdout/stderr pass through line-aligned (so they never splice into the
 * JSON lines the shim writes); declared log files are tailed and written to stdout as JSON lines
 * `{ts, file, instance, msg}`.
 *
 * Files are tracked by identity (dev + inode + birth time), not by name, each with an open fd and a
 * byte offset. That is what makes rotation lossless and duplicate-free:
 * - rename + create: the old inode is no longer at a matching path; the shim keeps its fd and keeps
 *   reading it (late writes by an app that has not reopened yet included) until it has been quiet for
 *   `retireMs`, then closes it. The new file is a new inode, read from offset 0.
 * - several rotations between two polls: the intermediate file was never opened; when a rotation is
 *   seen, recently written siblings named `<base>*` (app.log.1, app.log.2026-…) whose inode the shim has
 *   never read are picked up from offset 0, oldest first.
 * - truncation (copytruncate): size < offset → restart at 0.
 * Polling is the mechanism (it works on every filesystem, including network and overlay mounts);
 * fs.watch on the containing folders only makes a poll happen sooner.
 */
import { closeSync, fstatSync, openSync, readdirSync, readSync, statSync, watch, type FSWatcher, type Stats } from 'node:fs';
import path from 'node:path';

export interface LineSink {
  /** Complete lines of output, each without its newline. */
  jsonLines(lines: string[]): void;
  /** True while the consumer of stdout is behind: the tailer stops reading until `whenDrained`. */
  blocked?(): boolean;
  whenDrained?(cb: () => void): void;
}

/** Serializes everything the shim and the app write, keeping every write line-aligned. */
export class OutputMux implements LineSink {
  private readonly pending: Record<'stdout' | 'stderr', Buffer> = { stdout: Buffer.alloc(0), stderr: Buffer.alloc(0) };
  private readonly timers: Record<'stdout' | 'stderr', NodeJS.Timeout | undefined> = { stdout: undefined, stderr: undefined };
  /** A partial app line was flushed to stdout without its newline; the next JSON line must not join it. */
  private stdoutMidLine = false;
  linesWritten = 0;

  constructor(
    private readonly out: NodeJS.WritableStream = process.stdout,
    private readonly err: NodeJS.WritableStream = process.stderr,
  ) {}

  /** `source` is paused while the shim's own output is backed up, so memory stays bounded. */
  passthrough(stream: 'stdout' | 'stderr', chunk: Buffer, source?: NodeJS.ReadableStream): void {
    const buf = this.pending[stream].length > 0 ? Buffer.concat([this.pending[stream], chunk]) : chunk;
    const nl = buf.lastIndexOf(0x0a);
    if (nl === -1) {
      this.pending[stream] = buf;
    } else {
      if (!this.write(stream, buf.subarray(0, nl + 1)) && source) {
        source.pause();
        (stream === 'stdout' ? this.out : this.err).once('drain', () => source.resume());
      }
      this.pending[stream] = buf.subarray(nl + 1);
    }
    if (this.timers[stream]) clearTimeout(this.timers[stream]);
    // A prompt or progress output without a newline still shows up, just slightly later.
    if (this.pending[stream].length > 0) this.timers[stream] = setTimeout(() => this.flush(stream), 200).unref();
  }

  flush(stream: 'stdout' | 'stderr'): void {
    if (this.timers[stream]) clearTimeout(this.timers[stream]);
    this.timers[stream] = undefined;
    const rest = this.pending[stream];
    if (rest.length === 0) return;
    this.pending[stream] = Buffer.alloc(0);
    this.write(stream, rest);
  }

  private write(stream: 'stdout' | 'stderr', data: Buffer): boolean {
    if (stream === 'stdout') this.stdoutMidLine = data[data.length - 1] !== 0x0a;
    return (stream === 'stdout' ? this.out : this.err).write(data);
  }

  jsonLines(lines: string[]): void {
    if (lines.length === 0) return;
    const prefix = this.stdoutMidLine ? '\n' : '';
    this.stdoutMidLine = false;
    this.out.write(`${prefix}${lines.join('\n')}\n`);
    this.linesWritten += lines.length;
  }

  blocked(): boolean {
    return (this.out as NodeJS.WriteStream).writableNeedDrain === true;
  }

  whenDrained(cb: () => void): void {
    this.out.once('drain', cb);
  }

  /** Resolves once everything written has reached the OS: stdout to a socket is asynchronous. */
  async drained(): Promise<void> {
    this.flush('stdout');
    this.flush('stderr');
    await Promise.all([this.out, this.err].map((s) => new Promise<void>((r) => s.write('', () => r()))));
  }
}

const GLOB_CHARS = /[*?[{]/;

/** Glob → RegExp over '/'-separated relative paths: `**` any depth, `*` `?` within a segment, `{a,b}`, `[abc]`. */
export function globToRegExp(glob: string): RegExp {
  let re = '';
  for (let i = 0; i < glob.length; i++) {
    const ch = glob[i]!;
    if (ch === '*') {
      if (glob[i + 1] === '*') {
        const slash = glob[i + 2] === '/';
        re += slash ? '(?:.*/)?' : '.*';
        i += slash ? 2 : 1;
      } else re += '[^/]*';
    } else if (ch === '?') re += '[^/]';
    else if (ch === '{') {
      const end = glob.indexOf('}', i);
      if (end === -1) re += '\\{';
      else {
        re += `(?:${glob
          .slice(i + 1, end)
          .split(',')
          .map((s) => s.replace(/[.+^$()|\\[\]]/g, '\\$&').replace(/\*/g, '[^/]*').replace(/\?/g, '[^/]'))
          .join('|')})`;
        i = end;
      }
    } else if (ch === '[') {
      const end = glob.indexOf(']', i);
      if (end === -1) re += '\\[';
      else {
        re += `[${glob.slice(i + 1, end).replace(/^!/, '^').replace(/\\/g, '\\\\')}]`;
        i = end;
      }
    } else re += ch.replace(/[.+^$()|\\\]}]/g, '\\$&');
  }
  return new RegExp(`^${re}$`);
}

/** The folder that holds every match (the part of the pattern before the first glob character). */
export function globBase(pattern: string): { base: string; rest: string } {
  const parts = pattern.split('/');
  const i = parts.findIndex((p) => GLOB_CHARS.test(p));
  if (i === -1) return { base: path.dirname(pattern), rest: path.basename(pattern) };
  return { base: parts.slice(0, i).join('/') || (pattern.startsWith('/') ? '/' : '.'), rest: parts.slice(i).join('/') };
}

export function expandGlob(pattern: string): string[] {
  if (!GLOB_CHARS.test(pattern)) return [pattern];
  const { base, rest } = globBase(pattern);
  const re = globToRegExp(rest);
  const maxDepth = rest.includes('**') ? 12 : rest.split('/').length;
  const out: string[] = [];
  const walk = (dir: string, rel: string, depth: number): void => {
    let entries;
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      const r = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) {
        if (depth < maxDepth) walk(path.join(dir, e.name), r, depth + 1);
      } else if (re.test(r)) out.push(base === '.' && !pattern.startsWith('./') ? r : path.join(base, r));
    }
  };
  walk(base, '', 1);
  return out.sort();
}

interface Tracked {
  key: string;
  fd: number;
  /** The name reported in `file`: the path it was found under (its logical log name). */
  file: string;
  path: string;
  offset: number;
  partial: Buffer;
  matched: boolean;
  lastActivity: number;
}

/** A tailed file's folder and name: where its rotated copies appear. */
interface Family {
  dir: string;
  base: string;
  file: string;
}

export interface TailerOptions {
  patterns: string[];
  instance: string;
  sink: LineSink;
  pollMs?: number;
  /** How long a rotated-away file must stay quiet before its fd is closed. */
  retireMs?: number;
  /** Lines longer than this are emitted in pieces, so a binary file cannot exhaust memory. */
  maxLineBytes?: number;
  onError?: (message: string) => void;
}

const COMPRESSED = /\.(gz|zip|bz2|xz|zst|lz4)$/i;
const CHUNK = 1 << 20;

function identity(st: Stats): string {
  return `${st.dev}:${st.ino}:${Math.floor(st.birthtimeMs)}`;
}

export class LogTailer {
  private readonly tracked = new Map<string, Tracked>();
  /** Files closed after rotation, by identity → the offset reached (a later rename must not re-read them). */
  private readonly done = new Map<string, number>();
  /** Files that existed before the shim started: history, never streamed as rotated siblings. */
  private readonly preexisting = new Set<string>();
  private readonly watchers = new Map<string, FSWatcher>();
  private readonly families = new Map<string, Family>();
  private readonly buf = Buffer.allocUnsafe(CHUNK);
  private timer: NodeJS.Timeout | undefined;
  private soon: NodeJS.Immediate | undefined;
  private readonly startedAt = Date.now();
  private first = true;
  private stopped = false;
  private waitingForDrain = false;
  linesStreamed = 0;

  constructor(private readonly opts: TailerOptions) {}

  /** The first poll records what already exists (streamed from its current end), then polling starts. */
  start(): void {
    for (const pattern of this.opts.patterns) {
      const { base } = globBase(pattern);
      const dir = GLOB_CHARS.test(pattern) ? base : path.dirname(pattern);
      try {
        for (const name of readdirSync(dir)) {
          try {
            this.preexisting.add(identity(statSync(path.join(dir, name))));
          } catch {
            /* vanished between readdir and stat */
          }
        }
      } catch {
        /* the app creates the folder later */
      }
    }
    this.poll();
    this.first = false;
    this.timer = setInterval(() => this.poll(), this.opts.pollMs ?? 250);
    this.timer.unref();
  }

  /** Reads every file to its end, emits partial last lines, closes everything. */
  stop(): void {
    if (this.stopped) return;
    this.poll(true);
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    if (this.soon) clearImmediate(this.soon);
    for (const w of this.watchers.values()) w.close();
    this.watchers.clear();
    const lines: string[] = [];
    for (const t of this.tracked.values()) {
      this.read(t, lines);
      if (t.partial.length > 0) this.emit(t, t.partial, lines);
      t.partial = Buffer.alloc(0);
      closeSync(t.fd);
    }
    this.tracked.clear();
    this.flushLines(lines);
  }

  private ensureWatch(dir: string): void {
    if (this.watchers.has(dir)) return;
    try {
      const w = watch(dir, { persistent: false }, () => this.pollSoon());
      w.on('error', () => {
        w.close();
        this.watchers.delete(dir);
      });
      this.watchers.set(dir, w);
    } catch {
      /* folder not there yet: the next poll tries again */
    }
  }

  private pollSoon(): void {
    if (this.soon || this.stopped) return;
    this.soon = setImmediate(() => {
      this.soon = undefined;
      this.poll();
    });
  }

  /** `final`: the last read at shutdown, which must not wait for the consumer. */
  poll(final = false): void {
    if (this.stopped || (this.waitingForDrain && !final)) return;
    if (!final && this.opts.sink.blocked?.()) {
      // Files keep their bytes and the fds stay open, so pausing loses nothing, even across rotations.
      this.waitingForDrain = true;
      this.opts.sink.whenDrained?.(() => {
        this.waitingForDrain = false;
        this.pollSoon();
      });
      return;
    }
    const now = Date.now();
    const lines: string[] = [];
    try {
      const found: { p: string; st: Stats }[] = [];
      for (const pattern of this.opts.patterns) {
        this.ensureWatch(GLOB_CHARS.test(pattern) ? globBase(pattern).base : path.dirname(pattern));
        for (const p of expandGlob(pattern)) {
          try {
            const st = statSync(p);
            if (st.isFile()) found.push({ p, st });
          } catch {
            /* not there (yet) */
          }
        }
      }
      const foundKeys = new Set(found.map((f) => identity(f.st)));

      for (const t of this.tracked.values()) {
        if (t.matched && !foundKeys.has(t.key)) {
          t.matched = false;
          t.lastActivity = now;
        }
      }
      // Rotated files first, so their remaining lines are read before the new file's. Every poll looks,
      // not only the one that notices a rotation: a pause (a slow stdout reader, a busy machine) can
      // span several rotations, and a file created and rotated away between two polls is found only here.
      for (const family of this.families.values()) this.adoptRotatedSiblings(family, now);
      for (const { p, st } of found) {
        const family = `${path.dirname(p)}\0${path.basename(p)}`;
        if (!this.families.has(family)) this.families.set(family, { dir: path.dirname(p), base: path.basename(p), file: p });
        const key = identity(st);
        const t = this.tracked.get(key);
        if (t) {
          t.path = p;
          t.matched = true;
          continue;
        }
        const resumeAt = this.done.get(key);
        const offset = resumeAt !== undefined && resumeAt <= st.size ? resumeAt : this.first ? st.size : 0;
        this.track(p, p, key, offset, true, now);
      }
      for (const t of this.tracked.values()) this.read(t, lines);
      for (const t of [...this.tracked.values()]) {
        if (!t.matched && now - t.lastActivity > (this.opts.retireMs ?? 5000)) {
          if (t.partial.length > 0) this.emit(t, t.partial, lines);
          closeSync(t.fd);
          this.tracked.delete(t.key);
          this.done.set(t.key, t.offset);
        }
      }
    } catch (err) {
      this.opts.onError?.(`log tailing: ${(err as Error).message}`);
    }
    this.flushLines(lines);
  }

  private track(p: string, file: string, key: string, offset: number, matched: boolean, now: number): void {
    let fd: number;
    try {
      fd = openSync(p, 'r');
    } catch {
      return;
    }
    // The name may have been replaced between stat and open: trust what the fd points at.
    const real = fstatSync(fd);
    if (identity(real) !== key) {
      closeSync(fd);
      return;
    }
    this.tracked.set(key, { key, fd, file, path: p, offset, partial: Buffer.alloc(0), matched, lastActivity: now });
  }

  /**
   * Files named `<base>*` next to a tailed file that the shim has not read to their end: rotated copies
   * (app.log.1, app.log.2026-11-26) it never opened, or a closed one that grew again. History from
   * before the shim started and compressed archives are left alone.
   */
  private adoptRotatedSiblings(family: Family, now: number): void {
    let names: string[];
    try {
      names = readdirSync(family.dir).filter((n) => n.startsWith(family.base) && !COMPRESSED.test(n));
    } catch {
      return;
    }
    const candidates: { p: string; st: Stats; key: string; resumeAt: number }[] = [];
    for (const n of names) {
      const p = path.join(family.dir, n);
      try {
        const st = statSync(p);
        const key = identity(st);
        if (!st.isFile() || this.tracked.has(key) || this.preexisting.has(key) || st.mtimeMs < this.startedAt - 1000) continue;
        const resumeAt = this.done.get(key) ?? 0;
        // Closed after rotation and not grown since: nothing to read, do not reopen it every poll.
        if (this.done.has(key) && st.size <= resumeAt) continue;
        candidates.push({ p, st, key, resumeAt: resumeAt <= st.size ? resumeAt : 0 });
      } catch {
        /* gone */
      }
    }
    candidates.sort((a, b) => a.st.mtimeMs - b.st.mtimeMs);
    for (const c of candidates) this.track(c.p, family.file, c.key, c.resumeAt, false, now);
  }

  private read(t: Tracked, lines: string[]): void {
    let size: number;
    try {
      size = fstatSync(t.fd).size;
    } catch {
      return;
    }
    if (size < t.offset) {
      // Truncated in place: what was read stays read; start over from the top.
      if (t.partial.length > 0) this.emit(t, t.partial, lines);
      t.partial = Buffer.alloc(0);
      t.offset = 0;
    }
    const maxLine = this.opts.maxLineBytes ?? 1 << 20;
    while (t.offset < size) {
      const n = readSync(t.fd, this.buf, 0, Math.min(CHUNK, size - t.offset), t.offset);
      if (n <= 0) break;
      t.offset += n;
      t.lastActivity = Date.now();
      let data = t.partial.length > 0 ? Buffer.concat([t.partial, this.buf.subarray(0, n)]) : Buffer.from(this.buf.subarray(0, n));
      let start = 0;
      for (let nl = data.indexOf(0x0a, start); nl !== -1; nl = data.indexOf(0x0a, start)) {
        this.emit(t, data.subarray(start, nl), lines);
        start = nl + 1;
      }
      data = data.subarray(start);
      while (data.length > maxLine) {
        this.emit(t, data.subarray(0, maxLine), lines);
        data = data.subarray(maxLine);
      }
      t.partial = Buffer.from(data);
    }
  }

  private emit(t: Tracked, raw: Buffer, lines: string[]): void {
    let msg = raw.toString('utf8');
    if (msg.endsWith('\r')) msg = msg.slice(0, -1);
    lines.push(JSON.stringify({ ts: new Date().toISOString(), file: t.file, instance: this.opts.instance, msg }));
  }

  private flushLines(lines: string[]): void {
    if (lines.length === 0) return;
    this.linesStreamed += lines.length;
    this.opts.sink.jsonLines(lines);
  }
}
