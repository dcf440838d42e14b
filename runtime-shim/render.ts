/**
 * Config templates: `${VAR}` (required) and `${VAR:default}` (optional) resolved from the environment
 * or from `VAR_FILE` (a mounted secret; its trailing newline is trimmed). `$${` writes a literal `${`
 * so templates can still carry placeholders meant for the app's own config system.
 */
import { chmodSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ShimConfigError, type RenderSpec } from './config.js';

const PLACEHOLDER = /\$(\$?)\{([A-Za-z_][A-Za-z0-9_]*)(?::([^}]*))?\}/g;

export interface Lookup {
  value?: string;
  problem?: string;
}

export function lookupVar(name: string, env: NodeJS.ProcessEnv): Lookup {
  const direct = env[name];
  const file = env[`${name}_FILE`];
  if (direct !== undefined && file !== undefined) return { problem: `both ${name} and ${name}_FILE are set` };
  if (direct !== undefined) return { value: direct };
  if (file !== undefined) {
    try {
      return { value: readFileSync(file, 'utf8').replace(/\r?\n$/, '') };
    } catch (err) {
      return { problem: `${name}_FILE=${file} is not readable (${(err as NodeJS.ErrnoException).code ?? 'error'})` };
    }
  }
  return {};
}

export interface RenderResult {
  text: string;
  missing: string[];
  problems: string[];
}

export function renderTemplate(text: string, env: NodeJS.ProcessEnv): RenderResult {
  const missing = new Set<string>();
  const problems = new Set<string>();
  const out = text.replace(PLACEHOLDER, (whole, escaped: string, name: string, def: string | undefined) => {
    if (escaped) return whole.slice(1);
    const found = lookupVar(name, env);
    if (found.problem) {
      problems.add(found.problem);
      return whole;
    }
    if (found.value !== undefined) return found.value;
    if (def !== undefined) return def;
    missing.add(name);
    return whole;
  });
  return { text: out, missing: [...missing], problems: [...problems] };
}

/**
 * Renders every template before anything is written, so a missing variable leaves no half-rendered
 * set of files behind; each output is replaced atomically (write + rename).
 */
export function renderAll(specs: RenderSpec[], env: NodeJS.ProcessEnv = process.env): string[] {
  const rendered: { spec: RenderSpec; text: string; mode: number }[] = [];
  const missing: string[] = [];
  const problems: string[] = [];
  for (const spec of specs) {
    let source: string;
    let mode: number;
    try {
      source = readFileSync(spec.template, 'utf8');
      mode = statSync(spec.template).mode & 0o777;
    } catch (err) {
      throw new ShimConfigError(`cannot read template ${spec.template}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
    }
    const r = renderTemplate(source, env);
    for (const m of r.missing) missing.push(`${m} (${spec.template})`);
    problems.push(...r.problems);
    rendered.push({ spec, text: r.text, mode });
  }
  if (problems.length > 0) throw new ShimConfigError(`config error: ${[...new Set(problems)].join('; ')}`);
  if (missing.length > 0) {
    throw new ShimConfigError(`missing required variable${missing.length > 1 ? 's' : ''}: ${missing.join(', ')} — set it or <NAME>_FILE, or give a default with \${NAME:default}`);
  }
  for (const { spec, text, mode } of rendered) {
    try {
      mkdirSync(path.dirname(path.resolve(spec.output)), { recursive: true });
      const tmp = `${spec.output}.paasport-tmp-${process.pid}`;
      writeFileSync(tmp, text);
      chmodSync(tmp, mode);
      renameSync(tmp, spec.output);
    } catch (err) {
      throw new ShimConfigError(`cannot write ${spec.output}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
    }
  }
  return rendered.map((r) => r.spec.output);
}
