/**
 * Runs the app as the leader of its own process group (so a signal reaches the whole tree the app
 * started), restarts it with capped exponential backoff, recognizes a crash loop, and performs the
 * shutdown sequence: not-ready → deregister → drain → SIGTERM → grace → SIGKILL → exit with the app's code.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import os from 'node:os';
import type { ShimConfig } from './config.js';
import type { EtcdRegistrar } from './etcd.js';
import { probeTcp, probeUrl, type Phase, type ProbeResult } from './health.js';
import type { OutputMux } from './logs.js';

export interface SupervisorEvents {
  log: (message: string) => void;
  /** Called before each start after the first and on SIGHUP (re-render templates); may throw to skip. */
  onReload?: () => void;
}

export function exitStatus(code: number | null, signal: NodeJS.Signals | null): number {
  if (code !== null) return code;
  const n = signal ? os.constants.signals[signal] : undefined;
  return n ? 128 + n : 1;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export class Supervisor {
  private child: ChildProcess | undefined;
  private pgid: number | undefined;
  private currentPhase: Phase = 'starting';
  private restartTimes: number[] = [];
  private consecutive = 0;
  private startedAt = 0;
  private restartTimer: NodeJS.Timeout | undefined;
  private shuttingDown: NodeJS.Signals | undefined;
  private lastStatus: number | undefined;
  private resolveDone!: (code: number) => void;
  private wakeDrain: (() => void) | undefined;
  readonly done: Promise<number>;
  /** Figures for the operator and the tests. */
  starts = 0;
  shutdownStartedAt: number | undefined;

  constructor(
    private readonly config: ShimConfig,
    private readonly mux: OutputMux,
    private readonly events: SupervisorEvents,
    private readonly registrar?: EtcdRegistrar,
  ) {
    this.done = new Promise((r) => (this.resolveDone = r));
    const { appPort, appHost, healthUrl } = config;
    this.probe = appPort !== undefined ? () => probeTcp(appHost, appPort) : healthUrl !== undefined ? () => probeUrl(healthUrl) : undefined;
  }

  phase(): Phase {
    return this.currentPhase;
  }

  /** When the current run of the app started (registered in etcd as startedAt). */
  appStartedAt(): Date {
    return new Date(this.startedAt);
  }

  alive(): boolean {
    return this.child !== undefined && this.child.exitCode === null && this.child.signalCode === null;
  }

  /** The app's own readiness check, per the config. */
  readonly probe: (() => Promise<ProbeResult>) | undefined;

  start(): void {
    const [cmd, ...args] = this.config.command;
    this.starts += 1;
    this.startedAt = Date.now();
    this.currentPhase = 'starting';
    let child: ChildProcess;
    try {
      child = spawn(cmd!, args, {
        // Own process group: signals go to the app and everything it started, via kill(-pgid).
        detached: true,
        // An app in another process group reading a terminal would be stopped with SIGTTIN.
        stdio: [process.stdin.isTTY ? 'ignore' : 'inherit', 'pipe', 'pipe'],
      });
    } catch (err) {
      this.finishWithSpawnError(err as NodeJS.ErrnoException);
      return;
    }
    this.child = child;
    // Known at once when the spawn succeeded: a SIGTERM arriving before the 'spawn' event must still reach the group.
    this.pgid = child.pid;
    child.stdout!.on('data', (c: Buffer) => this.mux.passthrough('stdout', c, child.stdout!));
    child.stderr!.on('data', (c: Buffer) => this.mux.passthrough('stderr', c, child.stderr!));
    child.once('error', (err: NodeJS.ErrnoException) => {
      if (child.pid === undefined) this.finishWithSpawnError(err);
    });
    child.once('spawn', () => void this.waitUntilReady(child));
    child.once('exit', (code, signal) => {
      // Let the pipes deliver what the app wrote last, unless a grandchild keeps them open.
      let settled = false;
      const settle = (): void => {
        if (settled) return;
        settled = true;
        this.onExit(child, exitStatus(code, signal), signal);
      };
      child.once('close', settle);
      setTimeout(settle, 300).unref();
    });
  }

  private finishWithSpawnError(err: NodeJS.ErrnoException): void {
    this.events.log(`cannot start ${this.config.command[0]}: ${err.code ?? err.message}`);
    this.currentPhase = 'stopped';
    this.resolveDone(err.code === 'ENOENT' ? 127 : 126);
  }

  private async waitUntilReady(child: ChildProcess): Promise<void> {
    while (this.child === child && this.alive() && this.currentPhase === 'starting') {
      const r = this.probe ? await this.probe() : { ok: true, detail: '' };
      if (r.ok && this.child === child && this.alive() && this.currentPhase === 'starting') {
        this.currentPhase = 'running';
        this.events.log(`${this.config.name} is ready (pid ${child.pid}, ${Date.now() - this.startedAt} ms after start)`);
        this.registrar?.setDesired(true);
        return;
      }
      await sleep(200);
    }
  }

  /** Last resort when the shim itself fails: the app must not outlive it in its own process group. */
  killNow(): void {
    this.killGroup('SIGKILL');
  }

  private killGroup(signal: NodeJS.Signals): boolean {
    if (this.pgid === undefined) return false;
    try {
      process.kill(-this.pgid, signal);
      return true;
    } catch {
      return false;
    }
  }

  private onExit(child: ChildProcess, status: number, signal: NodeJS.Signals | null): void {
    if (this.child !== child) return;
    this.lastStatus = status;
    this.mux.flush('stdout');
    this.mux.flush('stderr');
    // Whatever the app left behind in its group would hold its port or files across a restart.
    this.killGroup('SIGKILL');
    this.child = undefined;
    this.pgid = undefined;
    this.registrar?.setDesired(false);
    const how = signal ? `was killed by ${signal}` : `exited with code ${status}`;
    if (this.shuttingDown) {
      this.wakeDrain?.();
      this.events.log(`${this.config.name} ${how}`);
      this.resolveDone(status);
      return;
    }
    const policy = this.config.restart;
    if (policy === 'never' || (policy === 'on-failure' && status === 0)) {
      this.events.log(`${this.config.name} ${how}; not restarting (restart: ${policy})`);
      this.currentPhase = 'stopped';
      this.resolveDone(status);
      return;
    }
    const now = Date.now();
    const windowMs = this.config.restartWindow * 1000;
    // A run that outlived the window was healthy: the backoff starts over.
    if (now - this.startedAt > windowMs) this.consecutive = 0;
    this.restartTimes = this.restartTimes.filter((t) => now - t < windowMs);
    if (this.restartTimes.length >= this.config.maxRestarts) {
      this.currentPhase = 'stopped';
      this.events.log(
        `crash loop: ${this.config.name} ${how}, its ${this.restartTimes.length + 1}${ordinal(this.restartTimes.length + 1)} exit within ${this.config.restartWindow}s (max-restarts ${this.config.maxRestarts}); giving up`,
      );
      this.resolveDone(status === 0 ? 1 : status);
      return;
    }
    const delay = Math.min(this.config.backoffMax, this.config.backoffInitial * 2 ** this.consecutive) * 1000;
    this.consecutive += 1;
    this.restartTimes.push(now);
    this.currentPhase = 'restarting';
    this.events.log(`${this.config.name} ${how}; restart ${this.restartTimes.length}/${this.config.maxRestarts} in ${(delay / 1000).toFixed(2)}s`);
    this.restartTimer = setTimeout(() => {
      this.restartTimer = undefined;
      if (this.shuttingDown) return;
      try {
        this.events.onReload?.();
      } catch (err) {
        this.events.log(`${(err as Error).message}; starting with the previous files`);
      }
      this.start();
    }, delay);
  }

  /** SIGHUP, SIGQUIT, SIGUSR1/2: re-render on SIGHUP, then pass the signal to the app's group. */
  forward(signal: NodeJS.Signals): void {
    if (signal === 'SIGHUP' && this.events.onReload) {
      try {
        this.events.onReload();
      } catch (err) {
        this.events.log(`${(err as Error).message}; keeping the previous files`);
      }
    }
    this.killGroup(signal);
  }

  /**
   * SIGTERM: not-ready and deregister at once, wait drainSeconds (traffic moves away), SIGTERM the app's
   * group, SIGKILL after graceSeconds. SIGINT (an operator at a terminal) skips the drain. A second
   * signal ends the drain at once and is passed on to the app's group.
   */
  async shutdown(signal: NodeJS.Signals): Promise<void> {
    if (this.shuttingDown) {
      this.events.log(`received ${signal} again: stopping now`);
      this.wakeDrain?.();
      this.killGroup(signal);
      return;
    }
    this.shuttingDown = signal;
    this.shutdownStartedAt = Date.now();
    this.currentPhase = 'draining';
    if (this.restartTimer) clearTimeout(this.restartTimer);
    if (!this.child) {
      this.events.log(`received ${signal} while the app is not running; exiting`);
      this.currentPhase = 'stopped';
      this.resolveDone(this.lastStatus ?? 128 + (os.constants.signals[signal] ?? 15));
      return;
    }
    const drainMs = signal === 'SIGTERM' ? this.config.drainSeconds * 1000 : 0;
    this.events.log(`received ${signal}: not ready${this.registrar ? ', deregistering' : ''}; ${drainMs > 0 ? `draining ${drainMs / 1000}s, then ` : ''}SIGTERM to the app, SIGKILL after ${this.config.graceSeconds}s`);
    const dereg = this.registrar?.close(Math.max(1000, Math.min(3000, drainMs)));
    await Promise.race([
      Promise.all([dereg, sleep(drainMs)]),
      new Promise<void>((r) => (this.wakeDrain = r)),
    ]);
    if (!this.child) return;
    this.killGroup(signal === 'SIGTERM' ? 'SIGTERM' : signal);
    const child = this.child;
    const kill = setTimeout(() => {
      if (this.child === child) {
        this.events.log(`${this.config.name} still running ${this.config.graceSeconds}s after ${signal}: SIGKILL`);
        this.killGroup('SIGKILL');
      }
    }, this.config.graceSeconds * 1000);
    await this.done;
    clearTimeout(kill);
  }
}

function ordinal(n: number): string {
  if (n % 100 >= 11 && n % 100 <= 13) return 'th';
  return ({ 1: 'st', 2: 'nd', 3: 'rd' } as Record<number, string>)[n % 10] ?? 'th';
}
