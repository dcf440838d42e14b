/**
 * The node analyzer's project rules (absence of a health route or of signal handling, in-memory
 * sessions), evaluated over the per-file summaries. Parser-free: a warm re-scan evaluates them from
 * cached summaries without loading the TypeScript compiler.
 */
import type { AnalyzerRule, ProjectMatch } from '../../core/index.js';
import { compileRule } from './rules.js';

export const SESSION_MODULES = /^(express-session|koa-generic-session)$/;
/** shared session stores; `session-file-store` is not one (it is the local disk) */
export const SESSION_STORE_MODULES = /^(connect-redis|connect-mongo|connect-mongodb-session|connect-pg-simple|connect-session-sequelize|connect-session-knex|connect-memcached|connect-dynamodb|express-mysql-session|@quixo3\/prisma-session-store|connect-couchbase|connect-datastore|@google-cloud\/connect-firestore|firestore-store|koa-redis|koa-generic-session-mongo|cassandra-store)$/;

export interface NodeSummary {
  listens: Array<{ line: number; column: number }>;
  framework: boolean;
  signals: boolean;
  health: boolean;
  sessionNoStore: boolean;
  sessionStore: boolean;
  /** a session is configured with options this file does not show */
  sessionUnknown?: boolean;
  sessionWrites: Array<{ line: number; column: number }>;
  /** package.json only: runtime dependencies and the position of each */
  dependencies?: Record<string, { line: number; column: number }>;
}

const ENTRY_NAMES = /(^|\/)(server|app|index|main|www|start)\.(js|cjs|mjs|ts)$|(^|\/)bin\/www$/;

/** The server entry file: among files that call `listen` on a server, prefer the conventional names, then the shallowest path. */
export function chooseEntry(summaries: Array<{ path: string; summary: NodeSummary }>): { path: string; summary: NodeSummary } | undefined {
  const servers = summaries.filter((s) => s.summary.listens.length > 0);
  servers.sort((a, b) => {
    const na = ENTRY_NAMES.test(a.path) ? 0 : 1;
    const nb = ENTRY_NAMES.test(b.path) ? 0 : 1;
    const da = a.path.split('/').length;
    const db = b.path.split('/').length;
    return na - nb || da - db || (a.path < b.path ? -1 : a.path > b.path ? 1 : 0);
  });
  return servers[0];
}

export function finishNode(raw: Array<{ path: string; summary: unknown }>, rules: AnalyzerRule[]): ProjectMatch[] {
  const summaries = raw.filter((s): s is { path: string; summary: NodeSummary } => typeof s.summary === 'object' && s.summary !== null && 'listens' in s.summary);
  const out: ProjectMatch[] = [];
  const entry = chooseEntry(summaries);
  const any = (f: (s: NodeSummary) => boolean) => summaries.some((s) => f(s.summary));
  for (const rule of rules) {
    const c = compileRule(rule.id, rule.match);
    if (c.project === 'graceful-shutdown' && entry && !any((s) => s.signals)) {
      out.push({ ruleId: rule.id, file: entry.path, ...entry.summary.listens[0]! });
    } else if (c.project === 'health-route' && entry && any((s) => s.framework) && !any((s) => s.health)) {
      out.push({ ruleId: rule.id, file: entry.path, ...entry.summary.listens[0]! });
    } else if (c.project === 'session-writes' && any((s) => s.sessionNoStore) && !any((s) => s.sessionStore)) {
      for (const s of summaries) for (const w of s.summary.sessionWrites) out.push({ ruleId: rule.id, file: s.path, ...w });
    } else if (c.project === 'session-dependency' && !any((s) => s.sessionNoStore || s.sessionStore)) {
      // only when no code shows how the session is configured: otherwise the code finding is the precise one
      for (const s of summaries) {
        const deps = s.summary.dependencies;
        if (!deps) continue;
        const names = Object.keys(deps);
        const dep = names.find((n) => SESSION_MODULES.test(n));
        if (dep && !names.some((n) => SESSION_STORE_MODULES.test(n))) out.push({ ruleId: rule.id, file: s.path, ...deps[dep]!, captures: { key: dep } });
      }
    }
  }
  return out;
}
