/**
 * The node analyzer on real parses: module binding resolution (what a call really is), recovery
 * from syntax errors, match validation, project (absence) rules and the entry-file choice.
 */
import { describe, expect, it } from 'vitest';
import type { AnalyzerRule, RuleMatch } from '../../../core/index.js';
import { analyzeNodeSource } from '../../../analyzers/node/analyze.js';
import { chooseEntry, finishNode, nodeAnalyzer, type NodeSummary } from '../../../analyzers/node/index.js';
import { loadCatalog } from '../../../cli/catalog.js';

const rule = (match: Omit<RuleMatch, 'analyzer'>, id = 'test/rule'): AnalyzerRule => ({ id, match: { analyzer: 'node', ...match } });
const fsWrite = rule({ call: { module: 'fs|fs-extra|graceful-fs|mkdirp', member: 'writeFile(Sync)?|appendFile|mkdir|sync|' } });
const lines = (code: string, r: AnalyzerRule = fsWrite, path = 'src/a.js') => analyzeNodeSource({ path, text: code }, [r]).matches.map((m) => m.line);

describe('module binding resolution', () => {
  const cases: Array<[string, string]> = [
    ['require', "const fs = require('fs');\nfs.writeFileSync('a', 'b');"],
    ['node: prefix', "const fs = require('node:fs');\nfs.writeFileSync('a', 'b');"],
    ['default import', "import fs from 'fs';\nfs.writeFileSync('a', 'b');"],
    ['namespace import', "import * as fs from 'node:fs';\nfs.writeFileSync('a', 'b');"],
    ['renamed named import from fs/promises', "import { writeFile as wf } from 'fs/promises';\nawait wf('a', 'b');"],
    ['destructured require with rename', "const { writeFileSync: save } = require('fs');\nsave('a', 'b');"],
    ['fs.promises member chain', "const fs = require('fs');\nfs.promises.writeFile('a', 'b');"],
    ['promises destructured', "const { promises: p } = require('fs');\np.appendFile('a', 'b');"],
    ['alias of the module', "const fs = require('fs');\nconst f = fs;\nf.writeFileSync('a', 'b');"],
    ['member alias', "const fs = require('fs');\nconst write = fs.writeFileSync;\nwrite('a', 'b');"],
    ['fs-extra wrapper', "const fse = require('fs-extra');\nfse.writeFile('a', 'b');"],
    ['graceful-fs wrapper', "var gfs = require('graceful-fs');\ngfs.appendFile('a', 'b');"],
    ['mkdirp wrapper (module called directly)', "const mkdirp = require('mkdirp');\nmkdirp('a/b');"],
    ['TypeScript import = require', "import fs = require('fs');\nfs.writeFileSync('a', 'b');"],
    ['inline require', "require('fs').writeFileSync('a', 'b');"],
  ];
  for (const [name, code] of cases) {
    it(`resolves ${name}`, () => {
      const path = name.startsWith('TypeScript') ? 'src/a.ts' : 'src/a.mjs';
      expect(lines(code, fsWrite, path)).toEqual([code.split('\n').length]);
    });
  }

  it('does not take a local variable named fs for the module', () => {
    expect(lines("const fs = { writeFileSync() {} };\nfs.writeFileSync('a', 'b');")).toEqual([]);
    expect(lines("fs.writeFileSync('a', 'b');")).toEqual([]);
  });

  it('honours shadowing: a parameter named fs inside a function is not the outer module', () => {
    const code = "const fs = require('fs');\nfunction save(fs) { fs.writeFileSync('a', 'b'); }\nfs.writeFileSync('c', 'd');";
    expect(lines(code)).toEqual([3]);
  });

  it('does not take a shadowed require for the real one', () => {
    expect(lines("function require(x) { return {}; }\nconst fs = require('fs');\nfs.writeFileSync('a', 'b');")).toEqual([]);
  });

  it('never reports commented-out code', () => {
    expect(lines("const fs = require('fs');\n// fs.writeFileSync('a', 'b');\n/* fs.writeFileSync('c', 'd'); */")).toEqual([]);
  });

  it('matches session rules only on express-session, not a local function named session', () => {
    const r = rule({ call: { module: 'express-session', member: '' }, options: { missing: 'store' } });
    expect(lines("const session = require('express-session');\napp.use(session({ secret: s }));", r)).toEqual([2]);
    expect(lines("function session(o) {}\napp.use(session({ secret: s }));", r)).toEqual([]);
  });
});

describe('values and captures', () => {
  it('captures the static path of a write, with unknown parts as *', () => {
    const r = analyzeNodeSource({ path: 'a.js', text: "const fs = require('fs');\nconst path = require('path');\nfs.writeFileSync(path.join(__dirname, 'uploads', name), b);" }, [fsWrite]);
    expect(r.matches[0]?.captures).toEqual({ call: 'fs.writeFileSync', value: 'uploads/*' });
  });

  it('never captures the value of a secret', () => {
    const r = rule({ property: { key: '\\w*secret' }, secret: true });
    const m = analyzeNodeSource({ path: 'a.js', text: "module.exports = { sessionSecret: 'hunter2-very-secret' };" }, [r]).matches;
    expect(m).toHaveLength(1);
    expect(JSON.stringify(m[0]!.captures)).not.toContain('hunter2');
    expect(m[0]!.captures?.key).toBe('sessionSecret');
  });

  it('follows a variable named like the environment key it reads without looping', () => {
    // `DB_HOST` in `process.env.DB_HOST` is a member name, not a reference to the const
    const r = rule({ property: { key: 'host' } });
    const m = analyzeNodeSource({ path: 'a.js', text: "const DB_HOST = process.env.DB_HOST || 'localhost';\nconst pool = { host: DB_HOST };" }, [r]).matches;
    expect(m.map((x) => [x.line, x.captures?.value])).toEqual([[2, 'localhost']]);
  });
});

describe('files that never run in the deployed app', () => {
  it('skips browser code, test-environment config and build tooling', () => {
    const code = "const fs = require('fs');\nfs.writeFileSync('a', 'b');";
    for (const path of ['public/js/app.js', 'client/src/store.js', 'config/env/test.js', 'Gruntfile.js', 'webpack.prod.config.js', 'karma.conf.js', '.eslintrc.js']) {
      expect(lines(code, fsWrite, path), path).toEqual([]);
    }
    for (const path of ['server.js', 'config/env/production.js', 'scripts/migrate.js', 'lib/config.js']) {
      expect(lines(code, fsWrite, path), path).toEqual([2]);
    }
  });
});

describe('syntax errors', () => {
  it('lists parse errors and still reports what the parser recovered', () => {
    const code = "const fs = require('fs');\nfunction migrate(orders {\n  return orders.map(function (o) { return o; });\n}\nfs.writeFileSync('x', 'y');";
    const r = analyzeNodeSource({ path: 'broken.js', text: code }, [fsWrite]);
    expect(r.errors?.length).toBeGreaterThan(0);
    expect(r.errors?.[0]?.line).toBe(2);
    expect(r.matches.map((m) => m.line)).toEqual([5]);
  });

  it('reports one error per distinct problem, not the errors of the parser recovering from it', () => {
    // the missing ')' on line 2 alone yields five diagnostics on lines 2-4; line 6 is a second mistake
    const code = "const fs = require('fs');\nfunction migrate(orders {\n  return orders.map(function (o) { return o; });\n}\nfs.writeFileSync('x', 'y');\nconst total = 1 +;\n";
    const r = analyzeNodeSource({ path: 'broken.js', text: code }, [fsWrite]);
    expect(r.errors?.map((e) => e.line)).toEqual([2, 6]);
    expect(r.errors?.[0]?.message).toMatch(/',' expected/);
    expect(r.matches.map((m) => m.line)).toEqual([5]);
  });

  it('keeps errors in consecutive statements apart, and merges errors inside one unfinished expression', () => {
    expect(analyzeNodeSource({ path: 'a.js', text: 'const a = 1 +;\nconst b = 2 +;\n' }, [fsWrite]).errors?.map((e) => e.line)).toEqual([1, 2]);
    expect(analyzeNodeSource({ path: 'a.ts', text: 'call({\n  a: 1 +,\n  b: 2 +,\n});\n' }, [fsWrite]).errors?.map((e) => e.line)).toEqual([2]);
  });

  it('reads Flow-typed files through flow-remove-types, keeping lines and columns', () => {
    const code = "// @flow\nconst fs = require('fs');\nfunction save(data: ?string, n: number): void {\n  const s = (data: any);\n  fs.writeFileSync('out/' + s, 'x');\n}";
    const r = analyzeNodeSource({ path: 'src/save.js', text: code }, [fsWrite]);
    expect(r.errors ?? []).toEqual([]);
    expect(r.matches.map((m) => [m.line, m.column])).toEqual([[5, 6]]);
  });

  it('parses TSX and JSX', () => {
    const code = "import fs from 'fs';\nexport const A = () => <div className=\"x\">{String(1)}</div>;\nfs.writeFileSync('a', 'b');";
    for (const path of ['a.tsx', 'a.jsx', 'a.js']) {
      const r = analyzeNodeSource({ path, text: code }, [fsWrite]);
      expect(r.errors ?? []).toEqual([]);
      expect(r.matches.map((m) => m.line)).toEqual([3]);
    }
  });
});

describe('defaults of environment lookups (notEnvDefault)', () => {
  const url = rule({ literal: { regex: '^http://localhost' }, notEnvDefault: true });
  const host = rule({ property: { key: 'host' }, notEnvDefault: true });

  it('skips a literal that is only the fallback of process.env', () => {
    const cases = [
      "const api = process.env.API_URL || 'http://localhost:3000';",
      'const api = process.env.API_URL ?? `http://localhost:${port}/api`;',
      "const api = process.env['API_URL'] || ('http://localhost:' + port);",
      "const api = process.env.API_URL || process.env.BACKUP_URL || 'http://localhost:3000';",
      "const fromEnv = process.env.API_URL;\nconst api = fromEnv || 'http://localhost:3000';",
      "const { API_URL = 'http://localhost:3000' } = process.env;",
      "process.env.API_URL ||= 'http://localhost:3000';",
      "const api = import.meta.env.VITE_API ?? 'http://localhost:3000';",
    ];
    for (const code of cases) expect(lines(code, url), code).toEqual([]);
    expect(lines("const db = { host: process.env.DB_HOST || 'localhost' };", host)).toEqual([]);
    expect(lines("const DB_HOST = process.env.DB_HOST ?? 'localhost';\nconst db = { host: DB_HOST };", host)).toEqual([]);
  });

  it('still reports a literal that is not an environment default, and is opt-in per rule', () => {
    const cases: Array<[string, number]> = [
      ["const api = 'http://localhost:3000';", 1],
      ["const api = settings.apiUrl || 'http://localhost:3000';", 1],
      ["const api = 'http://localhost:3000' || process.env.API_URL;", 1],
      // an environment-dependent choice between literals is hard-coding, not a lookup
      ["const api = process.env.NODE_ENV === 'production' ? prodUrl : 'http://localhost:3000';", 1],
      ["const DEFAULT_API = 'http://localhost:3000';\nconst api = process.env.API_URL || DEFAULT_API;", 1],
    ];
    for (const [code, line] of cases) expect(lines(code, url), code).toEqual([line]);
    expect(lines("const db = { host: settings.dbHost || 'localhost' };", host)).toEqual([1]);
    const { notEnvDefault: _, ...always } = url.match;
    expect(lines("const api = process.env.API_URL || 'http://localhost:3000';", { id: 'r', match: always })).toEqual([1]);
  });

  it('keeps a credential default reported while the host-bound-config rules let env defaults go', () => {
    const nodeRules = loadCatalog().rules.filter((r) => r.match.analyzer === 'node');
    const found = (code: string) =>
      analyzeNodeSource({ path: 'config/index.js', text: code }, nodeRules)
        .matches.map((m) => `${m.line} ${m.ruleId}`)
        .sort();
    const hardCoded = "module.exports = {\n  db: 'mongodb://db01.corp.local/shop',\n  sessionSecret: 'keyboard cat',\n  redis: { host: 'cache01.corp.local' },\n  api: 'http://10.0.0.5:8080/api',\n};";
    expect(found(hardCoded)).toEqual(['2 node/service-url-literal', '3 node/hardcoded-secret', '4 node/host-option-literal', '5 node/local-http-url-literal']);
    const envDefaults = "module.exports = {\n  db: process.env.MONGODB_URI || 'mongodb://db01.corp.local/shop',\n  sessionSecret: process.env.SESSION_SECRET || 'keyboard cat',\n  redis: { host: process.env.REDIS_HOST ?? 'cache01.corp.local' },\n  api: process.env.API_URL || 'http://10.0.0.5:8080/api',\n};";
    expect(found(envDefaults)).toEqual(['3 node/hardcoded-secret']);
  });
});

describe('validate', () => {
  it('accepts a well-formed match and rejects mistakes with the field path', () => {
    expect(nodeAnalyzer.validate({ analyzer: 'node', call: { module: 'fs', member: 'x' }, args: [{ index: 0, notTmp: true }] })).toEqual([]);
    const two = nodeAnalyzer.validate({ analyzer: 'node', call: { module: 'fs' }, literal: { regex: 'x' }, colour: 'red' }).map(([f]) => f);
    expect(two).toContain('match');
    expect(two).toContain('match.colour');
    const fields = nodeAnalyzer.validate({ analyzer: 'node', call: { module: 'fs(' }, args: [{ index: 0, bogus: 1 }] }).map(([f]) => f);
    expect(fields).toContain('match.call.module');
    expect(fields).toContain('match.args[0].bogus');
    expect(nodeAnalyzer.validate({ analyzer: 'node', project: 'graceful-shutdown' })).toEqual([['match.scope', 'project rules need scope: project']]);
    expect(nodeAnalyzer.validate({ analyzer: 'node', literal: { regex: 'x' }, notEnvDefault: true })).toEqual([]);
    expect(nodeAnalyzer.validate({ analyzer: 'node', call: { module: 'fs' }, notEnvDefault: true }).map(([f]) => f)).toEqual(['match.notEnvDefault']);
    expect(nodeAnalyzer.validate({ analyzer: 'node', property: { key: 'host' }, notEnvDefault: 'yes' }).map(([f]) => f)).toEqual(['match.notEnvDefault']);
  });
});

describe('project rules', () => {
  const shutdown = rule({ scope: 'project', project: 'graceful-shutdown' }, 'test/shutdown');
  const health = rule({ scope: 'project', project: 'health-route' }, 'test/health');
  const summarize = (path: string, text: string) => ({ path, summary: analyzeNodeSource({ path, text }, [shutdown, health]).summary as NodeSummary });

  it('reports both absences once, at the listen call of the entry file', () => {
    const files = [
      summarize('lib/admin.js', "const express = require('express');\nconst admin = express();\nadmin.listen(9000);"),
      summarize('server.js', "const app = require('./app');\n\nconst server = app.listen(process.env.PORT);"),
      summarize('app.js', "const express = require('express');\nmodule.exports = express();"),
    ];
    expect(chooseEntry(files)?.path).toBe('server.js');
    const found = finishNode(files, [shutdown, health]);
    expect(found.map((m) => `${m.ruleId} ${m.file}:${m.line}`).sort()).toEqual(['test/health server.js:3', 'test/shutdown server.js:3']);
  });

  it('is satisfied by a SIGTERM handler or a health route anywhere in the app', () => {
    const files = [
      summarize('server.js', "const express = require('express');\nconst app = express();\napp.listen(3000);"),
      summarize('lib/shutdown.js', "process.on('SIGTERM', () => process.exit(0));"),
      summarize('routes/ops.js', "const router = require('express').Router();\nrouter.get('/healthz', (req, res) => res.send('ok'));"),
    ];
    expect(finishNode(files, [shutdown, health])).toEqual([]);
  });

  it('reports nothing for a library that never listens', () => {
    expect(finishNode([summarize('index.js', 'module.exports = 1;')], [shutdown, health])).toEqual([]);
  });
});
