/**
 * A progress bar for long scans, on stderr only — stdout carries the report and must stay clean for
 * pipes. Shown only to a person watching: stderr is a terminal, no `--quiet`, and not under CI
 * (CI=true), where a redrawn bar only fills logs.
 */
import type CliProgress from 'cli-progress';
import { lazyRequire } from '../core/index.js';

export interface Progress {
  start(total: number): void;
  tick(n?: number): void;
  stop(): void;
}

const silent: Progress = { start() {}, tick() {}, stop() {} };

export function progressEnabled(options: { quiet?: boolean }, env: NodeJS.ProcessEnv = process.env, stream: NodeJS.WriteStream = process.stderr): boolean {
  return !options.quiet && Boolean(stream.isTTY) && env.CI !== 'true' && env.CI !== '1';
}

export function createProgress(options: { quiet?: boolean; label?: string }): Progress {
  if (!progressEnabled(options)) return silent;
  // Loaded only for a person at a terminal; CI and piped runs never pay for it.
  const cliProgress = lazyRequire<typeof CliProgress>('cli-progress')();
  const bar = new cliProgress.SingleBar(
    {
      stream: process.stderr,
      format: `${options.label ?? 'scanning'} [{bar}] {value}/{total} files | {percentage}% | {duration_formatted}`,
      hideCursor: true,
      clearOnComplete: true,
      // Very small scans finish before a redraw would be readable.
      fps: 10,
    },
    cliProgress.Presets.shades_classic,
  );
  let started = false;
  return {
    start(total) {
      if (total <= 0) return;
      bar.start(total, 0);
      started = true;
    },
    tick(n = 1) {
      if (started) bar.increment(n);
    },
    stop() {
      if (started) bar.stop();
      started = false;
    },
  };
}
