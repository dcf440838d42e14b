/**
 * Long-running and scheduled work found in the web process. Only real schedules become Kubernetes
 * CronJobs: a declared schedule (EJB @Schedule / TimerService, Spring @Scheduled, Quartz, node-cron and
 * its kin, crontab lines) or a timer whose period can be read and is a minute or more. Everything else
 * gets guidance in the plan instead of a manifest: a CronJob runs in a fresh pod, so work that feeds
 * this instance's connections or memory, fires every few seconds, or runs once is not a job.
 */
import type { Finding } from '../core/index.js';
import type { Context } from './types.js';

export interface Job {
  /** DNS-1123 label part, unique per app */
  name: string;
  /** 5-field cron */
  schedule: string;
  /** false when the schedule is a placeholder to review */
  scheduleKnown: boolean;
  /** Java: the class to run (derived from the source path); Node: the job module path */
  target: string;
  finding: Finding;
  /** a crontab line's command, run with sh -c in the app image */
  shell?: string;
  /** REVIEW lines for the manifest's header */
  review: string[];
}

export interface LongRunningPlan {
  jobs: Job[];
  /** one manual step per finding that did not become a job (or is not covered by one) */
  notes: string[];
}

export function dnsLabel(s: string, max = 63): string {
  const out = s
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .replace(/-+/g, '-');
  return (out.slice(0, max).replace(/-+$/, '') || 'app');
}

/** `src/main/java/com/acme/jobs/ReportJob.java` → `com.acme.jobs.ReportJob`. */
export function javaClassOf(file: string): string {
  const noExt = file.replace(/\.java$/, '');
  const m = /(?:^|\/)src\/(?:main|test)\/java\/(.+)$/.exec(noExt) ?? /(?:^|\/)(?:java|src)\/(.+)$/.exec(noExt);
  return (m ? m[1]! : noExt.split('/').pop()!).replace(/\//g, '.');
}

// ---------------------------------------------------------------------------------------------
// Cadence: how often the work fires, as far as the code says.

type Cadence =
  | { kind: 'cron'; schedule: string }
  | { kind: 'every'; seconds: number }
  /** fires more than once a minute (a seconds field like `*\/20`) */
  | { kind: 'subminute'; text: string }
  | { kind: 'once' }
  | { kind: 'unknown' };

/** A period in seconds as a cron schedule, when one expresses it exactly. */
function cronEvery(seconds: number): string | undefined {
  const min = seconds / 60;
  if (!Number.isInteger(min) || min < 1) return undefined;
  if (min < 60 && 60 % min === 0) return min === 1 ? '* * * * *' : `*/${min} * * * *`;
  const h = min / 60;
  if (Number.isInteger(h) && h < 24 && 24 % h === 0) return h === 1 ? '0 * * * *' : `0 */${h} * * *`;
  if (h === 24) return '0 0 * * *';
  return undefined;
}

/** A seconds field that fires once a minute at most: a single number. */
const onceAMinute = (sec: string) => /^\d{1,2}$/.test(sec);

/** 5-field cron, or Quartz / Spring / node-cron with seconds first (6 or 7 fields) → cadence. */
function fromCron(expr: string): Cadence | undefined {
  const fields = expr.trim().split(/\s+/);
  if (fields.length < 5 || fields.length > 7) return undefined;
  if (fields.length >= 6 && !onceAMinute(fields[0]!)) return { kind: 'subminute', text: expr.trim() };
  const five = (fields.length >= 6 ? fields.slice(1, 6) : fields).map((f) => (f === '?' ? '*' : f));
  // Quartz extras (L, W, #) and placeholders have no Kubernetes equivalent.
  return five.every((f) => /^[\d*/,\-A-Za-z]+$/.test(f) && !/[LW#]/.test(f.replace(/[A-Z]{3}/g, ''))) ? { kind: 'cron', schedule: five.join(' ') } : undefined;
}

const UNIT_SECONDS: Record<string, number> = { NANOSECONDS: 1e-9, MICROSECONDS: 1e-6, MILLISECONDS: 1e-3, SECONDS: 1, MINUTES: 60, HOURS: 3600, DAYS: 86400 };
const DURATION_SECONDS: Record<string, number> = { Millis: 1e-3, Seconds: 1, Minutes: 60, Hours: 3600, Days: 86400 };

/** The text between the parentheses of a call starting at `open`, split at top-level commas. */
export function callArgs(text: string, open: number): string[] | undefined {
  const args: string[] = [];
  let depth = 0;
  let start = open + 1;
  for (let i = open; i < text.length; i++) {
    const c = text[i]!;
    // comments first: an apostrophe in `// the feed's` is not a quote
    if (c === '/' && text[i + 1] === '/') {
      i = text.indexOf('\n', i);
      if (i < 0) return undefined;
      continue;
    }
    if (c === '/' && text[i + 1] === '*') {
      i = text.indexOf('*/', i + 2) + 1;
      if (i <= 0) return undefined;
      continue;
    }
    if (c === '"' || c === "'" || c === '`') {
      for (i++; i < text.length && text[i] !== c; i++) if (text[i] === '\\') i++;
      continue;
    }
    if (c === '(' || c === '{' || c === '[') depth++;
    else if (c === ')' || c === '}' || c === ']') {
      depth--;
      if (depth === 0) {
        args.push(text.slice(start, i).trim());
        return args.filter((a, k) => a !== '' || k > 0);
      }
    } else if (c === ',' && depth === 1) {
      args.push(text.slice(start, i).trim());
      start = i + 1;
    }
  }
  return undefined;
}

/** `a * f(b * c)` → [`a`, `f(b * c)`]: splits only outside parentheses. */
function splitTop(e: string, sep: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < e.length; i++) {
    if (e[i] === '(') depth++;
    else if (e[i] === ')') depth--;
    else if (e[i] === sep && depth === 0) {
      parts.push(e.slice(start, i).trim());
      start = i + 1;
    }
  }
  parts.push(e.slice(start).trim());
  return parts;
}

/**
 * An integer expression the code spells out: literals (`60L`, `1_000`), products of them, constants
 * declared in the same file, `TimeUnit.X.toMillis(n)`, `Duration.ofMinutes(n)` (in ms).
 */
function millisOf(expr: string, source: string, depth = 0): number | undefined {
  const e = expr.trim().replace(/^\((.*)\)$/, '$1').trim();
  if (depth > 3 || e === '') return undefined;
  const product = splitTop(e, '*');
  if (product.length > 1) {
    let v = 1;
    for (const p of product) {
      const n = millisOf(p, source, depth + 1);
      if (n === undefined) return undefined;
      v *= n;
    }
    return v;
  }
  const lit = /^(\d[\d_]*)[lL]?$/.exec(e);
  if (lit) return Number(lit[1]!.replace(/_/g, ''));
  const conv = /^(?:TimeUnit\.)?([A-Z]+)\.toMillis\((.+)\)$/.exec(e);
  if (conv && UNIT_SECONDS[conv[1]!] !== undefined) {
    const n = millisOf(conv[2]!, source, depth + 1);
    return n === undefined ? undefined : n * UNIT_SECONDS[conv[1]!]! * 1000;
  }
  const dur = /^Duration\.of(Millis|Seconds|Minutes|Hours|Days)\((.+)\)$/.exec(e);
  if (dur) {
    const n = millisOf(dur[2]!, source, depth + 1);
    return n === undefined ? undefined : n * DURATION_SECONDS[dur[1]!]! * 1000;
  }
  if (/^[A-Za-z_$][\w$]*$/.test(e)) {
    // `static final long PERIOD = 60 * 1000;` / `const PERIOD = 60 * 1000;` in the same file
    const decl = new RegExp(`(?:\\bfinal\\s+(?:int|long|Integer|Long)|\\bconst)\\s+${e.replace(/\$/g, '\\$')}\\s*=\\s*([^;\\n]+);`).exec(source);
    return decl ? millisOf(decl[1]!, source, depth + 1) : undefined;
  }
  return undefined;
}

function unitSeconds(arg: string): number | undefined {
  const m = /^(?:(?:java\.util\.concurrent\.)?TimeUnit\.)?([A-Z]+)$/.exec(arg.trim());
  return m ? UNIT_SECONDS[m[1]!] : undefined;
}

const everyMs = (ms: number | undefined): Cadence => (ms === undefined ? { kind: 'unknown' } : { kind: 'every', seconds: ms / 1000 });

/**
 * The timers a Java or JS source sets up (java.util.Timer, ScheduledExecutorService managed or not,
 * Spring's TaskScheduler, setInterval), each with the line its call starts on.
 */
function timerCalls(source: string): Array<{ line: number; cadence: Cadence }> {
  const found: Array<{ line: number; cadence: Cadence }> = [];
  for (const m of source.matchAll(/\.(scheduleAtFixedRate|scheduleWithFixedDelay|schedule)\s*\(|\bsetInterval\s*\(/g)) {
    const args = callArgs(source, m.index + m[0].length - 1);
    if (!args) continue;
    const line = source.slice(0, m.index).split('\n').length;
    const push = (cadence: Cadence) => found.push({ line, cadence });
    const method = m[1];
    const last = args[args.length - 1] ?? '';
    if (!method) push(args.length >= 2 ? everyMs(millisOf(args[1]!, source)) : { kind: 'unknown' });
    else if (unitSeconds(last) !== undefined) {
      // ScheduledExecutorService: (task, delay, unit) once; (task, initial, period, unit) periodic
      if (args.length === 3 && method === 'schedule') push({ kind: 'once' });
      else if (args.length === 4) {
        const n = millisOf(args[2]!, source);
        push(n === undefined ? { kind: 'unknown' } : { kind: 'every', seconds: n * unitSeconds(last)! });
      }
    } else if (args.length === 3) push(everyMs(millisOf(args[2]!, source))); // Timer (task, delay|Date, period)
    else if (args.length === 2 && method !== 'schedule') push(everyMs(millisOf(args[1]!, source))); // TaskScheduler (task, period|Duration)
    else if (args.length === 2) push({ kind: 'once' }); // Timer (task, delay)
  }
  return found;
}

/** One cadence for a set of timer calls: the periodic ones when they agree, `once` when none repeats. */
function agreed(calls: ReadonlyArray<{ cadence: Cadence }>): Cadence {
  const periodic = calls.map((c) => c.cadence).filter((c) => c.kind !== 'once');
  if (periodic.length === 0) return calls.length > 0 ? { kind: 'once' } : { kind: 'unknown' };
  return new Set(periodic.map((c) => JSON.stringify(c))).size === 1 ? periodic[0]! : { kind: 'unknown' };
}

/** EJB `@Schedule(second = "0", minute = "*\/5", hour = "*")` (defaults: second 0, minute 0, hour 0). */
function ejbSchedule(text: string): Cadence | undefined {
  if (!/@Schedules?\b/.test(text)) return undefined;
  const attr = (n: string) => new RegExp(`\\b${n}\\s*=\\s*"([^"]*)"`).exec(text)?.[1];
  const sec = attr('second') ?? '0';
  if (!onceAMinute(sec)) return { kind: 'subminute', text: `second = "${sec}"` };
  return fromCron([attr('minute') ?? '0', attr('hour') ?? '0', attr('dayOfMonth') ?? '*', attr('month') ?? '*', attr('dayOfWeek') ?? '*'].join(' ')) ?? { kind: 'unknown' };
}

/** TimerService calls: an interval or calendar timer is a schedule; a single-action timer is not. */
function timerServiceCadence(text: string, source: string): Cadence | undefined {
  const m = /\.(createIntervalTimer|createCalendarTimer|createSingleActionTimer|createTimer)\s*\(/.exec(text);
  if (!m) return undefined;
  const args = callArgs(text, m.index + m[0].length - 1) ?? [];
  switch (m[1]) {
    case 'createSingleActionTimer':
      return { kind: 'once' };
    case 'createIntervalTimer':
      return args.length >= 2 ? everyMs(millisOf(args[1]!, source)) : { kind: 'unknown' };
    case 'createTimer':
      // (duration, info) is one-shot; (initial, interval, info) repeats
      return args.length >= 3 ? everyMs(millisOf(args[1]!, source)) : { kind: 'once' };
    default: {
      const part = (n: string, d: string) => new RegExp(`\\.${n}\\(\\s*"?([^")]+)"?\\s*\\)`).exec(source)?.[1]?.trim() ?? d;
      if (!/ScheduleExpression/.test(source)) return { kind: 'unknown' };
      const sec = part('second', '0');
      if (!onceAMinute(sec)) return { kind: 'subminute', text: `second("${sec}")` };
      return fromCron([part('minute', '0'), part('hour', '0'), part('dayOfMonth', '*'), part('month', '*'), part('dayOfWeek', '*')].join(' ')) ?? { kind: 'unknown' };
    }
  }
}

/** Spring `@Scheduled(cron = …)`, `fixedRate`/`fixedDelay` (ms, or `timeUnit`). */
function springScheduled(text: string, source: string): Cadence | undefined {
  if (!/@Scheduled\b/.test(text)) return undefined;
  const cron = /\bcron\s*=\s*"([^"]+)"/.exec(text)?.[1];
  if (cron) return fromCron(cron) ?? { kind: 'unknown' };
  const rate = /\bfixed(?:Rate|Delay)\s*=\s*([^,)]+)/.exec(text)?.[1];
  if (!rate) return { kind: 'unknown' };
  const n = millisOf(rate, source);
  const unit = /\btimeUnit\s*=\s*([\w.]+)/.exec(text)?.[1];
  if (n === undefined) return { kind: 'unknown' };
  return unit ? (unitSeconds(unit) === undefined ? { kind: 'unknown' } : { kind: 'every', seconds: n * unitSeconds(unit)! }) : { kind: 'every', seconds: n / 1000 };
}

/** agenda's `every('1 hour')`, bree's `interval: '5m'`. */
function humanInterval(v: string): Cadence | undefined {
  const m = /^\s*(\d+)\s*(ms|milliseconds?|s|secs?|seconds?|m|mins?|minutes?|h|hours?|d|days?)\s*$/i.exec(v);
  if (!m) return undefined;
  const u = m[2]!.toLowerCase();
  const s = u.startsWith('ms') || u.startsWith('milli') ? 1e-3 : u.startsWith('s') ? 1 : u.startsWith('m') ? 60 : u.startsWith('h') ? 3600 : 86400;
  return { kind: 'every', seconds: Number(m[1]) * s };
}

/** A crontab line (`m h dom mon dow command`): its schedule and command; `@reboot` and the like are not schedules. */
export function crontabEntry(f: Finding): { schedule: string; command: string } | undefined {
  if (f.captures?.kind !== 'crontab' || !f.captures.value) return undefined;
  const m = /^\s*(\S+\s+\S+\s+\S+\s+\S+\s+\S+)\s+(.+)$/.exec(f.captures.value);
  if (!m || m[1]!.startsWith('@')) return undefined;
  const c = fromCron(m[1]!);
  return c?.kind === 'cron' ? { schedule: c.schedule, command: m[2]! } : undefined;
}

// ---------------------------------------------------------------------------------------------
// What kind of work a finding is.

type Source = 'declared' | 'timer' | 'other';

/** Declared schedules are jobs by intent; timers only when their period says so; the rest is not scheduled work. */
function sourceOf(f: Finding): Source {
  const t = `${f.ruleId} ${f.captures?.type ?? ''} ${f.captures?.call ?? ''}`;
  if (f.captures?.kind === 'crontab') return 'declared';
  if (/@Schedules?\b|@Scheduled\b/.test(f.snippet) || /\.ejb\.(Schedules?|TimerService)\b|scheduling\.annotation\.Scheduled|ejb-timer|spring-scheduled|quartz|scheduler-job|cron-job-object|node-cron|\bcron\b|croner|node-schedule|agenda|bree|toad-scheduler|later\b/i.test(t)) {
    // `implements TimedObject` is only the callback; the timer is created elsewhere
    return /TimedObject/.test(t) ? 'other' : 'declared';
  }
  if (/in-process-timer|set-interval|\bTimer(Task)?\b|Scheduled(ThreadPool)?Executor|setInterval/.test(t)) return 'timer';
  return 'other';
}

/** Work whose output goes to clients connected to this very process: it cannot move to another pod. */
function processBound(f: Finding, source: string): boolean {
  if (/\.java$/.test(f.file)) return /@ServerEndpoint\b|\b(javax|jakarta)\.websocket\b|\b(javax|jakarta)\.ws\.rs\.sse\b|\bSseEmitter\b|\bSimpMessagingTemplate\b/.test(source);
  return /\b(io|sockets?|wss?|socket\.server|server|clients?|channel)\b[\w.]*\.(emit|broadcast)\s*\(|\.clients\s*\.\s*forEach|\bwss?\.clients\b/.test(f.snippet);
}

function cadenceOf(f: Finding, source: string, src: Source): Cadence {
  const cron = crontabEntry(f);
  if (cron) return { kind: 'cron', schedule: cron.schedule };
  const text = f.snippet;
  const direct = ejbSchedule(text) ?? springScheduled(text, source) ?? timerServiceCadence(text, source);
  if (direct) return direct;
  const v = f.captures?.value ?? f.captures?.schedule ?? f.captures?.interval;
  if (src === 'declared') {
    const literal = v ?? /(?:schedule(?:Job)?|new\s+(?:CronJob|Cron))\s*\(\s*['"]([^'"]+)['"]/.exec(text)?.[1];
    if (literal) return fromCron(literal) ?? humanInterval(literal) ?? { kind: 'unknown' };
    // Quartz: one cron trigger spelled out in the same file (CronScheduleBuilder, or Quartz 1's new CronTrigger(…, "expr"))
    const quartz = new Set([
      ...[...source.matchAll(/cronSchedule\s*\(\s*"([^"]+)"/g)].map((m) => m[1]!),
      ...[...source.matchAll(/new\s+CronTrigger(?:Impl)?\s*\([^;]*?"([^"]+)"\s*\)/g)].map((m) => m[1]!),
    ]);
    if (quartz.size === 1) return fromCron([...quartz][0]!) ?? { kind: 'unknown' };
    return { kind: 'unknown' };
  }
  if (src === 'timer') {
    // The call on the finding's own line (setInterval(fn, 60000)); else, for a `new Timer()` or a
    // TimerTask class, the timers the same file sets up.
    if (!source) return agreed(timerCalls(text));
    const calls = timerCalls(source);
    const own = calls.filter((c) => c.line === f.line);
    return agreed(own.length > 0 ? own : calls);
  }
  return { kind: 'unknown' };
}

/** Jobs come from code (a class or module to run) or from crontab lines (a command); other declarations stay manual. */
function codeFile(f: Finding, ctx: Pick<Context, 'runtime'>): boolean {
  return ctx.runtime.language === 'java' ? f.file.endsWith('.java') : /\.(c|m)?[jt]s$/.test(f.file);
}

/** What the job does, from the line: the function handed to the timer, or the one its callback calls. */
function workName(f: Finding): string | undefined {
  const t = f.snippet;
  const n =
    /setInterval\s*\(\s*([A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)*)\s*,/.exec(t)?.[1] ??
    /=>\s*\{?\s*(?:await\s+)?([A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)*)\s*\(/.exec(t)?.[1] ??
    /function\s+([A-Za-z_$][\w$]*)\s*\(/.exec(t)?.[1] ??
    /\bvoid\s+([A-Za-z_$][\w$]*)\s*\(/.exec(t)?.[1];
  if (!n) return undefined;
  return n.replace(/([a-z0-9])([A-Z])/g, '$1-$2').replace(/[.$_]+/g, '-');
}

const seconds = (s: number) => (s < 1 ? `${Math.round(s * 1000)} ms` : s < 120 ? `${Number(s.toFixed(1))} s` : s < 7200 ? `${Number((s / 60).toFixed(1))} min` : `${Number((s / 3600).toFixed(1))} h`);

export function planLongRunning(ctx: Pick<Context, 'findings' | 'runtime' | 'sources' | 'graceSeconds'>): LongRunningPlan {
  const jobs: Job[] = [];
  const notes: string[] = [];
  const used = new Map<string, number>();
  const javaJobFiles = new Set<string>();
  const where = (f: Finding) => `${f.file}:${f.line} (${f.ruleId})`;
  for (const f of ctx.findings) {
    if (f.concern !== 'long-running-task') continue;
    const src = sourceOf(f);
    const source = ctx.sources[f.file] ?? '';
    const crontab = f.captures?.kind === 'crontab';
    if (crontab && !crontabEntry(f)) {
      notes.push(`${where(f)}: runs at boot or on a schedule Kubernetes cannot express, not a CronJob: do it at start-up (the app, or an init container) or rewrite the schedule, and drop the host's crontab line.`);
      continue;
    }
    if (!crontab && !codeFile(f, ctx)) {
      notes.push(
        /schedul|timer|cron|quartz|trigger/i.test(`${f.ruleId} ${f.snippet}`)
          ? `${where(f)}: a schedule declared in a descriptor or config file, not turned into a job automatically: give the method it names an entry point (a class or module run by PlatformWorker / paasport/worker.js) and a CronJob, then remove the declaration.`
          : `${where(f)}: background work configured outside the code; move it to a worker or a CronJob, or make it finish within a request.`,
      );
      continue;
    }
    if (src === 'other') {
      notes.push(
        /TimedObject/.test(`${f.captures?.type ?? ''}`)
          ? `${where(f)}: the timer's callback; the timer itself is created elsewhere (TimerService). Treat it like the schedule that creates it.`
          : `${where(f)}: background work outside any request, not a schedule, so no CronJob: hand it to a durable queue consumed by a worker, or make it finish within the request; what stays in-process must stop taking work on SIGTERM and finish within the shim's ${ctx.graceSeconds}s grace.`,
      );
      continue;
    }
    // One job per Java class: a Timer field and its TimerTask are one piece of work.
    if (!crontab && ctx.runtime.language === 'java' && javaJobFiles.has(f.file)) continue;
    if (!crontab && processBound(f, source)) {
      notes.push(`${where(f)}: pushes to clients connected to this instance (WebSocket / server-sent events), so it stays in the web process, not a CronJob: each replica serves its own connections. Cancel it on shutdown so the drain is not held up; if what it sends is computed per replica (a query, a summary), compute it once elsewhere (a job writing to the database or Redis) and let each replica only read and push it.`);
      continue;
    }
    const cadence = cadenceOf(f, source, src);
    if (cadence.kind === 'once') {
      notes.push(`${where(f)}: runs once after a delay, not a schedule: an instance stopped before it fires never runs it. Make it part of the request, or put it on a durable queue (or a database row a job picks up).`);
      continue;
    }
    if (cadence.kind === 'subminute' || (cadence.kind === 'every' && cadence.seconds < 60)) {
      const how = cadence.kind === 'every' ? `every ${seconds(cadence.seconds)}` : `more than once a minute (${cadence.text})`;
      notes.push(`${where(f)}: fires ${how}, too often for a CronJob (a new pod per run, one-minute granularity). If it only refreshes this instance's memory (a cache, a summary), keep it in the app: every replica needs it. If it changes shared data, run it in one place: a single-replica worker Deployment, or a lock (ShedLock, a database lease) so one replica does it; make it idempotent.`);
      continue;
    }
    if (src === 'timer' && cadence.kind === 'unknown') {
      notes.push(`${where(f)}: a timer whose period cannot be read from the code, so no CronJob. If it is batch work at a cadence of a minute or more, move its body into a job and schedule it as a CronJob; if it serves this instance (its memory, its connections) or fires every few seconds, keep it in the app and cancel it on shutdown.`);
      continue;
    }
    const review: string[] = [];
    let schedule: string | undefined;
    if (cadence.kind === 'cron') schedule = cadence.schedule;
    else if (cadence.kind === 'every') {
      schedule = cronEvery(cadence.seconds);
      if (!schedule) review.push(`REVIEW: the code runs it every ${seconds(cadence.seconds)}, which no cron schedule matches exactly; 0 * * * * is a placeholder.`);
    } else review.push('REVIEW: the schedule could not be read from the code; 0 * * * * is a placeholder.');
    if (src === 'timer') review.push("REVIEW: from a timer in the app's code; if the work only refreshes this instance's memory (a cache), keep it in the app instead.");
    if (!crontab && ctx.runtime.language === 'java') javaJobFiles.add(f.file);
    const cron = crontabEntry(f);
    const base = workName(f) ?? (f.file.split('/').pop() ?? f.file).replace(/\.[^.]+$/, '');
    let name = dnsLabel(base, 40);
    const n = (used.get(name) ?? 0) + 1;
    used.set(name, n);
    if (n > 1) name = `${name}-${n}`;
    const target = ctx.runtime.language === 'java' ? javaClassOf(f.file) : `./jobs/${name}.js`;
    const job: Job = { name, schedule: schedule ?? '0 * * * *', scheduleKnown: schedule !== undefined, target, finding: f, review };
    if (cron) job.shell = cron.command;
    jobs.push(job);
  }
  return { jobs, notes };
}
