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
  const rate = /fixed(?:Rate|Delay)\s*=\s*(\d+)/.exec(f.snippet)?.[1] ?? /setInterval\s*\([^]*,\s*(\d[\d_]*)\s*\)/.exec(f.snippet)?.[1];
  if (rate) return fromMillis(Number(rate.replace(/_/g, '')));
  return undefined;
}

/** Only scheduled / periodic work becomes a CronJob; one-off background threads stay a manual step. */
function isScheduled(f: Finding): boolean {
  const t = `${f.ruleId} ${f.snippet} ${f.captures?.kind ?? ''}`;
  return /schedul|cron|timer|interval|@Schedule|quartz|agenda/i.test(t);
}

export function planJobs(ctx: Pick<Context, 'findings' | 'runtime'>): Job[] {
  const jobs: Job[] = [];
  const used = new Map<string, number>();
  for (const f of ctx.findings) {
    if (f.concern !== 'long-running-task' || !isScheduled(f)) continue;
    const base = (f.file.split('/').pop() ?? f.file).replace(/\.[^.]+$/, '');
    let name = dnsLabel(base, 40);
    const n = (used.get(name) ?? 0) + 1;
    used.set(name, n);
    if (n > 1) name = `${name}-${n}`;
    const schedule = scheduleOf(f);
    const target = ctx.runtime.language === 'java' ? javaClassOf(f.file) : `./jobs/${name}.js`;
    jobs.push({ name, schedule: schedule ?? '0 * * * *', scheduleKnown: schedule !== undefined, target, finding: f });
  }
  return jobs;
}
