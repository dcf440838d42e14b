/**
 * `paasport run [options] -- <cmd> [args...]`: the entry point, also runnable on its own as
 * `node dist/runtime-shim/main.js …` so a container image can carry the shim without the scanner.
 */
import { realpathSync } from 'node:fs';
import type { Server } from 'node:http';
import { pathToFileURL } from 'node:url';
import { EX_CONFIG, parseShimArgs, resolveConfig, ShimConfigError, usage, type ShimConfig } from './config.js';
import { EtcdRegistrar } from './etcd.js';
import { startHealthServer } from './health.js';
import { LogTailer, OutputMux } from './logs.js';
import { renderAll } from './render.js';
import { Supervisor } from './supervisor.js';
import { watchZombies } from './zombies.js';

const log = (message: string): void => {
  process.stderr.write(`paasport run: ${message}\n`);
};

const FORWARDED: NodeJS.Signals[] = ['SIGHUP', 'SIGQUIT', 'SIGUSR1', 'SIGUSR2'];
const STOPPING: NodeJS.Signals[] = ['SIGTERM', 'SIGINT'];

const flushed = (s: NodeJS.WriteStream): Promise<void> => new Promise((r) => s.write('', () => r()));

/** Runs the shim and resolves with the exit code once stdout and stderr have been written out. */
export async function runFromArgv(argv: string[]): Promise<number> {
  const code = await configureAndRun(argv);
  await Promise.all([flushed(process.stdout), flushed(process.stderr)]);
  return code;
}

async function configureAndRun(argv: string[]): Promise<number> {
  let config: ShimConfig;
  try {
    const args = parseShimArgs(argv);
    if (args.help) {
      process.stdout.write(usage());
      return 0;
    }
    config = resolveConfig(args);
    renderAll(config.render);
  } catch (err) {
    if (err instanceof ShimConfigError) {
      log(err.message);
      return err.exitCode;
    }
    throw err;
  }
  return runShim(config);
}

export async function runShim(config: ShimConfig): Promise<number> {
  let stopZombieWatch: (() => void) | undefined;
  if (process.pid === 1) {
    // Node cannot wait for processes it did not spawn; see docs/runtime-shim.md ("Zombies").
    log('running as PID 1: orphaned grandchildren will not be reaped; use `docker run --init`, tini, or shareProcessNamespace');
    stopZombieWatch = watchZombies(log, Number(process.env.PAASPORT_SHIM_ZOMBIE_CHECK_MS ?? 30_000));
  }
  // A log reader that went away (EPIPE) must not take the shim down — or the app's graceful stop with it.
  process.stdout.on('error', () => undefined);
  process.stderr.on('error', () => undefined);
  const mux = new OutputMux();
  let supervisor: Supervisor | undefined;
  const registrar = config.etcd
    ? new EtcdRegistrar({
        endpoint: config.etcd,
        key: `${config.etcdPrefix}/${config.name}/${config.instance}`,
        ttlSeconds: config.etcdTtl,
        log,
        value: () =>
          JSON.stringify({
            host: config.advertiseHost,
            port: config.appPort ?? null,
            startedAt: (supervisor?.appStartedAt() ?? new Date()).toISOString(),
            version: config.version,
          }),
      })
    : undefined;
  supervisor = new Supervisor(config, mux, { log, onReload: config.render.length > 0 ? () => void renderAll(config.render) : undefined }, registrar);
  const sup = supervisor;

  let server: Server | undefined;
  if (config.healthPort > 0) {
    try {
      server = await startHealthServer(config.healthHost, config.healthPort, { alive: () => sup.alive(), phase: () => sup.phase(), probe: sup.probe });
    } catch (err) {
      log(`cannot serve health checks on ${config.healthHost}:${config.healthPort}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message} (set --health-port)`);
      return EX_CONFIG;
    }
  }

  const tailer =
    config.logs.length > 0 ? new LogTailer({ patterns: config.logs, instance: config.instance, sink: mux, pollMs: config.logPollMs, onError: log }) : undefined;
  tailer?.start();

  const onCrash = (err: unknown): void => {
    log(`internal error, stopping the app: ${(err as Error)?.stack?.split('\n').slice(0, 2).join(' ') ?? String(err)}`);
    sup.killNow();
    process.exit(70);
  };
  process.on('uncaughtException', onCrash);
  process.on('unhandledRejection', onCrash);

  const handlers = new Map<NodeJS.Signals, () => void>();
  for (const s of STOPPING) handlers.set(s, () => void sup.shutdown(s));
  for (const s of FORWARDED) handlers.set(s, () => sup.forward(s));
  for (const [s, h] of handlers) process.on(s, h);

  sup.start();
  const code = await sup.done;

  tailer?.stop();
  await registrar?.close(2000);
  server?.closeAllConnections();
  server?.close();
  for (const [s, h] of handlers) process.off(s, h);
  process.off('uncaughtException', onCrash);
  process.off('unhandledRejection', onCrash);
  stopZombieWatch?.();
  const drain = sup.shutdownStartedAt ? `, shutdown took ${((Date.now() - sup.shutdownStartedAt) / 1000).toFixed(2)}s` : '';
  log(`exit ${code} (app started ${sup.starts}x${tailer ? `, ${tailer.linesStreamed} log lines streamed` : ''}${drain})`);
  // The caller exits the process next; what is still queued for a socket or pipe would be lost.
  await mux.drained();
  return code;
}

const invokedDirectly = (() => {
  try {
    return process.argv[1] !== undefined && import.meta.url === pathToFileURL(realpathSync(process.argv[1])).href;
  } catch {
    return false;
  }
})();

if (invokedDirectly) process.exit(await runFromArgv(process.argv.slice(2)));
