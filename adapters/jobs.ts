/**
 * Scheduled and long-running work found in the web process becomes platform-scheduled jobs: one
 * CronJob per finding, each running the worker entry point with a job name. The schedule comes from
 * what the scan captured; when it could not be read it is marked for review rather than guessed.
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

function fromMillis(ms: number): string | undefined {
  const min = ms / 60_000;
  if (!Number.isInteger(min) || min < 1) return undefined;
  if (min < 60 && 60 % min === 0) return min === 1 ? '* * * * *' : `*/${min} * * * *`;
  const h = min / 60;
  if (Number.isInteger(h) && h < 24 && 24 % h === 0) return h === 1 ? '0 * * * *' : `0 */${h} * * *`;
  if (h === 24) return '0 0 * * *';
  return undefined;
}

function fromCron(expr: string): string | undefined {
  const fields = expr.trim().split(/\s+/);
  // Quartz / Spring cron carries seconds first (6 or 7 fields); Kubernetes has none.
  const five = fields.length >= 6 ? fields.slice(1, 6) : fields.length === 5 ? fields : undefined;
  if (!five) return undefined;
  const out = five.map((f) => (f === '?' ? '*' : f));
  return out.every((f) => /^[\d*/,\-A-Za-z]+$/.test(f)) ? out.join(' ') : undefined;
}

/** EJB `@Schedule(hour = "*", minute = "*\/5")` attributes → cron. */
function fromEjbSchedule(text: string): string | undefined {
  const attr = (n: string) => new RegExp(`\\b${n}\\s*=\\s*"([^"]*)"`).exec(text)?.[1];
  if (!/@Schedule\b/.test(text)) return undefined;
  const minute = attr('minute') ?? '0';
  const hour = attr('hour') ?? '0';
  const dom = attr('dayOfMonth') ?? '*';
  const month = attr('month') ?? '*';
  const dow = attr('dayOfWeek') ?? '*';
  return fromCron([minute, hour, dom, month, dow].join(' '));
}

export function scheduleOf(f: Finding): string | undefined {
  const v = f.captures?.value ?? f.captures?.schedule ?? f.captures?.interval;
  if (v) {
    if (/^\d+$/.test(v)) return fromMillis(Number(v));
    const c = fromCron(v);
    if (c) return c;
  }
  const ejb = fromEjbSchedule(f.snippet);
  if (ejb) return ejb;
  const cron = /@Scheduled\s*\(\s*cron\s*=\s*"([^"]+)"/.exec(f.snippet)?.[1] ?? /schedule(?:Job)?\s*\(\s*['"]([^'"]+)['"]/.exec(f.snippet)?.[1];
  if (cron) return fromCron(cron);
  const rate = /fixed(?:Rate|Delay)\s*=\s*(\d+)/.exec(f.snippet)?.[1] ?? /setInterval\s*\([^]*,\s*(\d[\d_\s*]*)\)\s*;?\s*$/.exec(f.snippet)?.[1];
  // `15 * 60 * 1000` is as common as a literal; only products of integer literals are evaluated.
  if (rate) return fromMillis(rate.replace(/_/g, '').split('*').reduce((p, n) => p * Number(n.trim()), 1));
  return undefined;
}

/** Only scheduled / periodic work becomes a CronJob; one-off background threads stay a manual step. */
function isScheduled(f: Finding): boolean {
  const t = `${f.ruleId} ${f.snippet} ${f.captures?.kind ?? ''}`;
  return /schedul|cron|timer|interval|@Schedule|quartz|agenda/i.test(t);
}

/** A crontab line (`m h dom mon dow command`): its schedule and command; `@reboot` and the like are not schedules. */
export function crontabEntry(f: Finding): { schedule: string; command: string } | undefined {
  if (f.captures?.kind !== 'crontab' || !f.captures.value) return undefined;
  const m = /^\s*(\S+\s+\S+\s+\S+\s+\S+\s+\S+)\s+(.+)$/.exec(f.captures.value);
  if (!m || m[1]!.startsWith('@')) return undefined;
  const schedule = fromCron(m[1]!);
  return schedule ? { schedule, command: m[2]! } : undefined;
}

/** Jobs come from code (a class or module to run) or from crontab lines (a command); other declarations stay manual. */
function jobSource(f: Finding, ctx: Pick<Context, 'runtime'>): boolean {
  if (crontabEntry(f)) return true;
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

export function planJobs(ctx: Pick<Context, 'findings' | 'runtime'>): Job[] {
  const jobs: Job[] = [];
  const used = new Map<string, number>();
  const javaClasses = new Set<string>();
  for (const f of ctx.findings) {
    if (f.concern !== 'long-running-task' || !isScheduled(f) || !jobSource(f, ctx)) continue;
    const cron = crontabEntry(f);
    // One job per Java class: a Timer field and its TimerTask are one piece of work.
    if (!cron && ctx.runtime.language === 'java') {
      if (javaClasses.has(f.file)) continue;
      javaClasses.add(f.file);
    }
    const base = workName(f) ?? (f.file.split('/').pop() ?? f.file).replace(/\.[^.]+$/, '');
    let name = dnsLabel(base, 40);
    const n = (used.get(name) ?? 0) + 1;
    used.set(name, n);
    if (n > 1) name = `${name}-${n}`;
    const schedule = cron?.schedule ?? scheduleOf(f);
    const target = ctx.runtime.language === 'java' ? javaClassOf(f.file) : `./jobs/${name}.js`;
    const job: Job = { name, schedule: schedule ?? '0 * * * *', scheduleKnown: schedule !== undefined, target, finding: f };
    if (cron) job.shell = cron.command;
    jobs.push(job);
  }
  return jobs;
}
