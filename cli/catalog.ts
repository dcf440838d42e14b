/**
 * Reads rule files from disk and hands their text to core's loader. The built-in catalog is
 * `rules/**\/*.yaml`; `--rules` adds a user's file or folder, whose rule ids must equal their path
 * relative to that folder (or, for a single file, are taken as written).
 */
import fg from 'fast-glob';
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { idFromPath, parseRule, RuleLoadFailure, type Rule, type RuleLoadError } from '../core/index.js';
import { BUILTIN_RULES_DIR } from './paths.js';
import { analyzersById } from './registry.js';

function loadDir(dir: string, label: string): { rules: Rule[]; problems: RuleLoadError[] } {
  const rules: Rule[] = [];
  const problems: RuleLoadError[] = [];
  const files = fg.sync('**/*.{yaml,yml}', { cwd: dir, ignore: ['**/*.test.yaml', '**/*.test.yml', 'rule.schema.*'] }).sort();
  for (const rel of files) {
    const display = path.posix.join(label, rel);
    const result = parseRule(readFileSync(path.join(dir, rel), 'utf8'), display, idFromPath(rel), analyzersById);
    if (Array.isArray(result)) problems.push(...result);
    else rules.push(result);
  }
  return { rules, problems };
}

export interface CatalogOptions {
  extra?: string[];
  builtin?: boolean;
}

/**
 * Loads the catalog. A broken rule file does not stop the scan: its problems are returned (and end
 * up in the report's errors and a non-zero exit), every valid rule still runs. A `--rules` path that
 * does not exist is a usage error and throws.
 */
export function loadCatalog(options: CatalogOptions = {}): { rules: Rule[]; problems: RuleLoadError[] } {
  const rules: Rule[] = [];
  const problems: RuleLoadError[] = [];
  if (options.builtin !== false) {
    const r = loadDir(BUILTIN_RULES_DIR, 'rules');
    rules.push(...r.rules);
    problems.push(...r.problems);
  }
  for (const p of options.extra ?? []) {
    let st;
    try {
      st = statSync(p);
    } catch {
      throw new RuleLoadFailure([{ file: p, message: '--rules: no such file or folder' }]);
    }
    if (st.isDirectory()) {
      const r = loadDir(p, p.replace(/\\/g, '/').replace(/\/$/, ''));
      rules.push(...r.rules);
      problems.push(...r.problems);
    } else {
      let text: string;
      try {
        text = readFileSync(p, 'utf8');
      } catch (e) {
        problems.push({ file: p, message: `unreadable: ${(e as Error).message}` });
        continue;
      }
      const result = parseRule(text, p.replace(/\\/g, '/'), undefined, analyzersById);
      if (Array.isArray(result)) problems.push(...result);
      else rules.push(result);
    }
  }
  const seen = new Map<string, string>();
  const unique: Rule[] = [];
  for (const r of rules) {
    const prev = seen.get(r.id);
    if (prev) {
      problems.push({ file: r.source, ruleId: r.id, field: 'id', message: `duplicate rule id (first defined in ${prev}); this one is ignored` });
      continue;
    }
    seen.set(r.id, r.source);
    unique.push(r);
  }
  return { rules: unique.sort((a, b) => (a.id < b.id ? -1 : 1)), problems };
}
