/**
 * The adapter contract: a generator is a pure function of a scan result and options that returns
 * files (POSIX paths relative to the output folder). It never reads the scanned tree itself; the CLI
 * hands over the few texts it needs (config files to overlay, files to patch).
 */
import type { Finding } from '../core/index.js';

export interface GeneratedFile {
  /** POSIX path relative to the output folder; never absolute, never `..` */
  path: string;
  contents: string;
}

export type JavaContainer = 'tomcat' | 'wildfly' | 'liberty' | 'jar';
export type Runtime = { language: 'java'; container: JavaContainer } | { language: 'node' };

export interface Resources {
  cpu: string;
  memory: string;
}

export interface GenerateOptions {
  /** DNS-1123 app name, used for the namespace, labels and resource names */
  name: string;
  /** resources per replica (requests = limits for memory) */
  unit: Resources;
  /** number of replicas */
  units: number;
  /** container image reference for the manifests */
  image?: string;
  /** Ingress host */
  host?: string;
  /** the app's HTTP port (default per runtime) */
  appPort?: number;
  /** overrides runtime detection */
  runtime?: Runtime;
  /** the output folder as seen from the app's root (the Docker build context); default paasport-out */
  outInContext?: string;
  /** write unified diffs that rewire call sites */
  patch?: boolean;
  /** every relative POSIX path of the scanned tree (runtime detection, container detection) */
  files?: readonly string[];
  /** texts of scanned files the generators need (config files with findings, patch targets, files that read the environment) */
  sources?: Readonly<Record<string, string>>;
  /** the compiled runtime shim the image runs (the CLI reads it from paasport's own dist/) */
  shim: ShimBundle;
}

/** The runtime shim as shipped: ES modules on node: built-ins only, entry `main.js`. */
export interface ShimBundle {
  /** paasport's version the files were built from */
  version: string;
  /** file name (no folder) → contents */
  files: Readonly<Record<string, string>>;
}

/** What every generator receives: options resolved once, findings sorted, env vars named once. */
export interface Context {
  options: Required<Pick<GenerateOptions, 'name' | 'unit' | 'units' | 'patch' | 'shim'>> & GenerateOptions;
  runtime: Runtime;
  appPort: number;
  healthPort: number;
  drainSeconds: number;
  graceSeconds: number;
  /** active (not suppressed) findings, sorted by file, line, rule */
  findings: Finding[];
  files: readonly string[];
  sources: Readonly<Record<string, string>>;
  env: import('./env-vars.js').EnvPlan;
}
