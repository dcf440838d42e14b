/**
 * Reads rule files from disk and hands their text to core's loader. The built-in catalog is
 * `rules/**\/*.yaml`; `--rules` adds a user's file or folder, whose rule ids must equal their path
 * relative to that folder (or, for a single file, are taken as written).
 */
import fg from 'fast-glob';
import { mkdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { idFromPath, parseRule, RuleLoadFailure, type Rule, type RuleLoadError } from '../core/index.js';
import { engineHash, readChecked, sha256, writeChecked } from './cache.js';
import { BUILTIN_RULES_DIR, VERSION } from './paths.js';
import { analyzersById } from './registry.js';

type Parsed = Rule | RuleLoadError[];

/**
 * Parsed rule files, kept in the cache folder when there is one. Parsing and validating 170-odd
 * YAML files (and loading the YAML and JSON Schema libraries to do it) is a third of a warm
 * re-scan; a rule file's result depends only on its text, name and id, and on paasport's code,
 * so that is the key. Checksummed and ignored unless perfect, like every cache file.
 */
class RuleMemo {
  private readonly entries = new Map<string, Parsed>();
  /** entries this load used: the only ones saved, so edited rule files do not pile up */
  private readonly used = new Map<string, Parsed>();
  private changed = false;
  private readonly file: string;
  private readonly engine = `${VERSION}\0${engineHash()}`;

  constructor(dir: string) {
    this.file = path.join(dir, 'catalog.json');
    const read = readChecked<{ engine: string; checksum: string }>(this.file);
    if (read && read.header.engine === this.engine && Array.isArray(read.body)) {
      for (const [k, v] of read.body as Array<[string, Parsed]>) this.entries.set(k, v);
    }
  }

  parse(text: string, display: string, id: string | undefined): Parsed {
    const key = sha256(`${display}\0${id ?? ''}\0${text}`);
    let parsed = this.entries.get(key);
    if (parsed === undefined) {
      parsed = parseRule(text, display, id, analyzersById);
      this.entries.set(key, parsed);
      this.changed = true;
    }
    this.used.set(key, parsed);
    return parsed;
  }

  save(): void {
    if (!this.changed && this.used.size === this.entries.size) return;
    try {
      mkdirSync(path.dirname(this.file), { recursive: true });
    } catch {
      return; // read-only cache folder: parse again next time
    }
    writeChecked(this.file, { engine: this.engine }, [...this.used]);
  }
}

type Parse = (text: string, display: string, id: string | undefined) => Parsed;

const parseFresh: Parse = (text, display, id) => parseRule(text, display, id, analyzersById);

function loadDir(dir: string, label: string, parse: Parse): { rules: Rule[]; problems: RuleLoadError[] } {
  const rules: Rule[] = [];
  const problems: RuleLoadError[] = [];
  const files = fg.sync('**/*.{yaml,yml}', { cwd: dir, ignore: ['**/*.test.yaml', '**/*.test.yml', 'rule.schema.*'] }).sort();
  for (const rel of files) {
    const display = path.posix.join(label, rel);
    const result = parse(readFileSync(path.join(dir, rel), 'utf8'), display, idFromPath(rel));
    if (Array.isArray(result)) problems.push(...result);
    else rules.push(result);
  }
  return { rules, problems };
}

export interface CatalogOptions {
  extra?: string[];
  builtin?: boolean;
  /** the scan's cache folder: parsed rule files are kept there (see RuleMemo) */
  memoDir?: string;
}

/**
 * Loads the catalog. A broken rule file does not stop the scan: its problems are returned (and end
 * up in the report's errors and a non-zero exit), every valid rule still runs. A `--rules` path that
 * does not exist is a usage error and throws.
 */
export function loadCatalog(options: CatalogOptions = {}): { rules: Rule[]; problems: RuleLoadError[] } {
  const rules: Rule[] = [];
  const problems: RuleLoadError[] = [];
  const memo = options.memoDir !== undefined ? new RuleMemo(options.memoDir) : undefined;
  const parse: Parse = memo ? (text, display, id) => memo.parse(text, display, id) : parseFresh;
  if (options.builtin !== false) {
    const r = loadDir(BUILTIN_RULES_DIR, 'rules', parse);
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
      const r = loadDir(p, p.replace(/\\/g, '/').replace(/\/$/, ''), parse);
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
      const result = parse(text, p.replace(/\\/g, '/'), undefined);
      if (Array.isArray(result)) problems.push(...result);
      else rules.push(result);
    }
  }
  memo?.save();
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
