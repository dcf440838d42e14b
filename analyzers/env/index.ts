/**
 * The `env` analyzer: dotenv files (`.env`, `.env.production`, `app.env`) read the way dotenv and
 * docker compose read them — `KEY=value`, optional `export`, single/double quotes (double-quoted
 * values may span lines), `#` comments and inline ` #` comments after unquoted values — with the
 * key's exact line.
 *
 * match: same shape as the properties analyzer: key, keyNot, value, valueNot, captureValue, line,
 * lineNot, flags (default 'i'). The finding is at the key's line.
 */
import type { Analyzer, AnalyzerRule, FileAnalysis, SourceFile } from '../../core/index.js';
import { keyValueMatches, validateKeyValue, type KeyValueEntry, type KeyValueFormat } from '../common/key-value.js';

export type EnvEntry = KeyValueEntry;

export function parseEnv(text: string): { entries: EnvEntry[]; errors: { message: string; line: number }[] } {
  const lines = text.replace(/^\uFEFF/, '').split(/\r\n|\r|\n/);
  const entries: EnvEntry[] = [];
  const errors: { message: string; line: number }[] = [];
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i]!;
    const m = /^(\s*)(?:export\s+)?([A-Za-z_][A-Za-z0-9_.-]*)\s*=\s*(.*)$/.exec(raw);
    if (!m) {
      if (raw.trim() && !raw.trim().startsWith('#')) errors.push({ message: `line ${i + 1} is not KEY=value`, line: i + 1 });
      continue;
    }
    const start = i;
    let rest = m[3]!;
    let value: string;
    const q = rest[0];
    if (q === '"' || q === "'" || q === '`') {
      let body = rest.slice(1);
      let close = body.indexOf(q);
      // Only double quotes (and backticks) may span lines, as in dotenv.
      while (close < 0 && q !== "'" && i + 1 < lines.length) {
        body += '\n' + lines[++i]!;
        close = body.indexOf(q);
      }
      if (close < 0) {
        errors.push({ message: `unterminated ${q} quote`, line: start + 1 });
        close = body.length;
      }
      value = body.slice(0, close);
      if (q === '"') value = value.replace(/\\n/g, '\n').replace(/\\"/g, '"');
    } else {
      const hash = rest.search(/\s#/);
      if (hash >= 0) rest = rest.slice(0, hash);
      value = rest.trim();
    }
    entries.push({ key: m[2]!, value, line: start + 1, column: m[1]!.length + 1, endLine: i + 1 });
  }
  return { entries, errors };
}

const ENV_FORMAT: KeyValueFormat<EnvEntry> = { commentLine: /^\s*#/, capturedValue: (e) => e.value };

export function isEnvFile(path: string): boolean {
  const base = path.slice(path.lastIndexOf('/') + 1).toLowerCase();
  return base === '.env' || base.startsWith('.env.') || base.endsWith('.env');
}

export const envAnalyzer: Analyzer = {
  id: 'env',
  description: 'dotenv files (.env, .env.*, *.env): KEY=value entries at their exact lines',
  exampleFile: '.env',
  handles: isEnvFile,
  validate: (match) => validateKeyValue(match, 'env'),
  analyze(file: SourceFile, rules: AnalyzerRule[]): FileAnalysis {
    const { entries, errors } = parseEnv(file.text);
    const out: FileAnalysis = { matches: keyValueMatches(file.text, entries, rules, ENV_FORMAT) };
    if (errors.length) out.errors = errors.slice(0, 5);
    return out;
  },
};
