/**
 * Which long-running work becomes a CronJob. Regression: a timer inside a WebSocket endpoint (it pushes
 * to the sessions this server holds) was turned into a CronJob, as was an EJB timer firing every 20 s.
 * Only schedules a CronJob can honour become one; the rest gets guidance in MIGRATION.md.
 */
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { CronJob } from 'kubernetes-models/batch/v1';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { parse } from 'yaml';
import { generate, type GeneratedFile, type Runtime } from '../../adapters/index.js';
import { REPO_ROOT, runCli, tempDir } from '../helpers.js';
import { finding, scanResult, shimBundle, type FindingSpec } from './helpers.js';

vi.setConfig({ testTimeout: 300_000 });

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** name → schedule of every CronJob in a generated folder on disk */
function cronJobsOnDisk(out: string): Record<string, string> {
  const jobs: Record<string, string> = {};
  for (const f of readdirSync(path.join(out, 'k8s')).filter((x) => x.startsWith('cronjob-'))) {
    const obj = parse(readFileSync(path.join(out, 'k8s', f), 'utf8')) as Obj;
    expect(() => new CronJob(obj as never).validate(), f).not.toThrow();
    jobs[f.slice('cronjob-'.length, -'.yaml'.length)] = obj.spec.schedule as string;
  }
  return jobs;
}

/** The 1-based line of the first occurrence of `needle` in a fixture file. */
function lineOf(file: string, needle: string): number {
  const lines = readFileSync(file, 'utf8').split('\n');
  const i = lines.findIndex((l) => l.includes(needle));
  expect(i, `${needle} in ${file}`).toBeGreaterThanOrEqual(0);
  return i + 1;
}

/** The MIGRATION.md manual step about one place in the code. */
function stepAbout(plan: string, where: string): string {
  const step = plan.split('\n').find((l) => l.startsWith('- [ ] ') && l.includes(where));
  expect(step, where).toBeDefined();
  return step!;
}

describe('generate on a Java app shaped like a WebSocket price feed', () => {
  const root = path.join(REPO_ROOT, 'fixtures', 'generate-websocket-timer');
  const src = path.join(root, 'src/main/java/org/example/ticker');
  const out = path.join(tempDir(), 'out');
  let plan = '';
  beforeAll(() => {
    const r = runCli(['generate', root, '--out', out]);
    expect(r.code, r.stderr).toBe(0);
    plan = readFileSync(path.join(out, 'MIGRATION.md'), 'utf8');
  });

  it('only the nightly EJB schedule and the five-minute executor become CronJobs', () => {
    expect(cronJobsOnDisk(out)).toEqual({ statementmailer: '30 1 * * *', historypruner: '*/5 * * * *' });
    const commands = readdirSync(path.join(out, 'k8s')).filter((f) => f.startsWith('cronjob-')).map((f) => readFileSync(path.join(out, 'k8s', f), 'utf8')).join('\n');
    expect(commands).not.toMatch(/PriceFeedEndpoint|QuoteBoard/);
  });

  it('the timer pushing to WebSocket sessions stays in the web process, with guidance', () => {
    const step = stepAbout(plan, `PriceFeedEndpoint.java:${lineOf(path.join(src, 'PriceFeedEndpoint.java'), 'scheduleAtFixedRate')} `);
    expect(step).toMatch(/stays in the web process, not a CronJob/);
  });

  it('the EJB timer firing every 15 s is not a CronJob either', () => {
    const step = stepAbout(plan, `QuoteBoard.java:${lineOf(path.join(src, 'QuoteBoard.java'), '@Schedule')} `);
    expect(step).toMatch(/more than once a minute \(second = "\*\/15"\)/);
  });
});

describe('generate on a Node app pushing to socket.io on a timer', () => {
  const root = path.join(REPO_ROOT, 'fixtures', 'generate-socket-timer');
  const out = path.join(tempDir(), 'out');
  let plan = '';
  beforeAll(() => {
    const r = runCli(['generate', root, '--out', out]);
    expect(r.code, r.stderr).toBe(0);
    plan = readFileSync(path.join(out, 'MIGRATION.md'), 'utf8');
  });

  it('the broadcast stays, the database prune (period from a constant) becomes a CronJob', () => {
    expect(cronJobsOnDisk(out)).toEqual({ 'prune-history': '*/10 * * * *' });
    const jobs = JSON.parse(readFileSync(path.join(out, 'node/paasport/jobs.json'), 'utf8')) as Record<string, { from: string }>;
    expect(Object.values(jobs).map((j) => j.from)).toEqual([`server.js:${lineOf(path.join(root, 'server.js'), 'function pruneHistory')}`]);
    expect(stepAbout(plan, `server.js:${lineOf(path.join(root, 'server.js'), "io.emit('board'")} `)).toMatch(/stays in the web process/);
  });
});

const JAVA: Runtime = { language: 'java', container: 'jar' };
const NODE: Runtime = { language: 'node' };

function gen(runtime: Runtime, specs: FindingSpec[], sources: Record<string, string> = {}): { jobs: Record<string, { schedule: string; header: string }>; plan: string } {
  const files: GeneratedFile[] = generate(scanResult(specs.map(finding)), { name: 'app', unit: { cpu: '500m', memory: '512Mi' }, units: 2, runtime, files: Object.keys(sources), sources, shim: shimBundle() });
  const jobs: Record<string, { schedule: string; header: string }> = {};
  for (const f of files.filter((x) => x.path.startsWith('k8s/cronjob-'))) {
    jobs[f.path.slice('k8s/cronjob-'.length, -'.yaml'.length)] = { schedule: (parse(f.contents) as Obj).spec.schedule, header: f.contents.split('\n').filter((l) => l.startsWith('#')).join('\n') };
  }
  return { jobs, plan: files.find((f) => f.path === 'MIGRATION.md')!.contents };
}

const T = { concern: 'long-running-task' as const, line: 5 };

describe('cadence rules', () => {
  it('Spring @Scheduled: cron and fixedRate of a minute or more are jobs; every 5 s and a seconds cron are not', () => {
    const r = gen(JAVA, [
      { ...T, file: 'src/main/java/a/Hourly.java', ruleId: 'java/spring-scheduled', snippet: '  @Scheduled(cron = "0 0 */2 * * *")' },
      { ...T, file: 'src/main/java/a/Often.java', ruleId: 'java/spring-scheduled', snippet: '  @Scheduled(fixedRate = 5000)' },
      { ...T, file: 'src/main/java/a/Ticks.java', ruleId: 'java/spring-scheduled', snippet: '  @Scheduled(cron = "*/10 * * * * *")' },
      { ...T, file: 'src/main/java/a/Quarter.java', ruleId: 'java/spring-scheduled', snippet: '  @Scheduled(fixedDelay = 15, timeUnit = TimeUnit.MINUTES)' },
    ]);
    expect(Object.fromEntries(Object.entries(r.jobs).map(([k, v]) => [k, v.schedule]))).toEqual({ hourly: '0 */2 * * *', quarter: '*/15 * * * *' });
    expect(stepAbout(r.plan, 'Often.java:5')).toContain('fires every 5 s');
    expect(stepAbout(r.plan, 'Ticks.java:5')).toContain('more than once a minute (*/10 * * * * *)');
  });

  it('java.util.Timer and executors: the period is read where the timer is scheduled, constants included', () => {
    const sources = {
      'src/main/java/a/Sync.java': 'class Sync {\n  static final long PERIOD = TimeUnit.MINUTES.toMillis(30);\n  Timer t = new Timer();\n  void go() { t.schedule(new Task(), 0, PERIOD); }\n}\n',
      'src/main/java/a/Later.java': 'class Later {\n  Timer t = new Timer();\n  void go() { t.schedule(new Task(), 5000); }\n}\n',
      'src/main/java/a/Odd.java': "class Odd {\n  // don't run this too often\n  ScheduledExecutorService s = Executors.newScheduledThreadPool(1);\n  void go() { s.scheduleAtFixedRate(() -> { work(\"a,b\"); }, 0, 90, TimeUnit.MINUTES); }\n}\n",
      'src/main/java/a/Blind.java': 'class Blind {\n  Timer t = new Timer();\n  void go(long p) { t.scheduleAtFixedRate(new Task(), 0, p); }\n}\n',
    };
    const r = gen(
      JAVA,
      Object.keys(sources).map((file) => ({ ...T, file, line: 3, ruleId: 'java/in-process-timer', captures: { type: 'java.util.Timer' } })),
      sources,
    );
    expect(r.jobs.sync!.schedule).toBe('*/30 * * * *');
    expect(r.jobs.sync!.header).toContain("from a timer in the app's code");
    expect(r.jobs.odd!.header).toContain('every 90 min, which no cron schedule matches exactly');
    expect(Object.keys(r.jobs).sort()).toEqual(['odd', 'sync']);
    expect(stepAbout(r.plan, 'Later.java:3')).toContain('runs once after a delay');
    expect(stepAbout(r.plan, 'Blind.java:3')).toContain('period cannot be read');
  });

  it('EJB: @Schedule and interval timers are jobs, single-action timers and TimedObject callbacks are not', () => {
    const r = gen(JAVA, [
      { ...T, file: 'src/main/java/a/Six.java', ruleId: 'java/ejb-timer', snippet: '  @Schedule(hour = "*/6", persistent = false)' },
      { ...T, file: 'src/main/java/a/Reaper.java', ruleId: 'java/ejb-timer', snippet: '    timers.createIntervalTimer(0, 60 * 60 * 1000, new TimerConfig());' },
      { ...T, file: 'src/main/java/a/Once.java', ruleId: 'java/ejb-timer', snippet: '    timers.createSingleActionTimer(30000, new TimerConfig());' },
      { ...T, file: 'src/main/java/a/Cb.java', ruleId: 'java/ejb-timer', captures: { type: 'javax.ejb.TimedObject' }, snippet: 'public class Cb implements TimedObject {' },
    ]);
    expect(Object.fromEntries(Object.entries(r.jobs).map(([k, v]) => [k, v.schedule]))).toEqual({ six: '0 */6 * * *', reaper: '0 * * * *' });
    expect(stepAbout(r.plan, 'Once.java:5')).toContain('runs once after a delay');
    expect(stepAbout(r.plan, 'Cb.java:5')).toContain('created elsewhere');
  });

  it('Node: a ws broadcast is process-bound; an interval from config is unreadable; node-cron with seconds every 30 s is too often', () => {
    const r = gen(NODE, [
      { ...T, file: 'live.js', ruleId: 'node/set-interval-job', snippet: 'setInterval(() => wss.clients.forEach((c) => c.send(JSON.stringify(state))), 60000);' },
      { ...T, file: 'cfg.js', ruleId: 'node/set-interval-job', snippet: 'setInterval(sync, config.every);' },
      { ...T, file: 'fast.js', ruleId: 'node/scheduler-job', captures: { call: 'node-cron.schedule', value: '*/30 * * * * *' }, snippet: "cron.schedule('*/30 * * * * *', poll);" },
      { ...T, file: 'nightly.js', ruleId: 'node/scheduler-job', captures: { call: 'node-cron.schedule', value: '0 3 * * *' }, snippet: "cron.schedule('0 3 * * *', () => report());" },
    ]);
    expect(Object.fromEntries(Object.entries(r.jobs).map(([k, v]) => [k, v.schedule]))).toEqual({ report: '0 3 * * *' });
    expect(stepAbout(r.plan, 'live.js:5')).toContain('stays in the web process');
    expect(stepAbout(r.plan, 'cfg.js:5')).toContain('period cannot be read');
    expect(stepAbout(r.plan, 'fast.js:5')).toContain('more than once a minute');
  });
});
