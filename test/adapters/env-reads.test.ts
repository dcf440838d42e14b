/**
 * The environment variables and system properties an app already reads: the regex readers on every
 * spelling they claim (and the look-alikes they must pass over), the merge with the variables named
 * after findings, and, through the CLI on a Node and a Java app, that each one reaches .env.example,
 * the ConfigMap or the Secret template and the plan, once, and identically on a second run.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { parse, parseDocument } from 'yaml';
import { collectEnvReads, envReadsOf, envSyntaxOf, stripComments, type EnvRead } from '../../adapters/env-reads.js';
import { addEnvReads, planEnv, type EnvVar } from '../../adapters/env-vars.js';
import { REPO_ROOT, runCli, tempDir } from '../helpers.js';
import { finding } from './helpers.js';

vi.setConfig({ testTimeout: 300_000 });

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const brief = (reads: EnvRead[]) => reads.map((r) => [r.name, r.line, r.default ?? null]);

describe('Node reads', () => {
  it('process.env.X, process.env[...], destructuring, and the literal fallback of each', () => {
    const text = [
      "const a = process.env.A_URL || 'http://localhost:1';", // 1
      'const b = process.env["B_HOST"] ?? "b.local";', // 2
      "const c = process.env['C'];", // 3
      'const d = process.env[`D_NAME`] || `dee`;', // 4
      'const port = Number(process.env.PORT) || 3000;', // 5
      'const n = parseInt(process.env.WORKERS, 10) || 4;', // 6
      'process.env.CACHE_DIR ||= "/tmp/cache";', // 7
      'const e = process.env.E_URL || other;', // 8
      'const {', // 9
      '  F_ONE,', // 10
      "  F_TWO: two = 'deux',", // 11
      "  'F_THREE': three,", // 12
      '  ...rest', // 13
      '} = process.env;', // 14
      'const { G = 7 }: NodeJS.ProcessEnv = process.env;', // 15
      'const flag = process.env.DEBUG === "1";', // 16
    ].join('\n');
    expect(brief(envReadsOf('config/index.ts', text))).toEqual([
      ['A_URL', 1, 'http://localhost:1'],
      ['B_HOST', 2, 'b.local'],
      ['C', 3, null],
      ['D_NAME', 4, 'dee'],
      ['PORT', 5, '3000'],
      ['WORKERS', 6, '4'],
      ['CACHE_DIR', 7, '/tmp/cache'],
      ['E_URL', 8, null],
      ['F_ONE', 10, null],
      ['F_TWO', 11, 'deux'],
      ['F_THREE', 12, null],
      ['G', 15, '7'],
      ['DEBUG', 16, null],
    ]);
  });

  it('passes over comments, assignments, computed names and look-alikes', () => {
    const text = [
      '// process.env.LINE_COMMENT',
      '/* process.env.BLOCK',
      '   process.env.BLOCK_2 */',
      "process.env.SET_HERE = 'x';",
      'const k = process.env[name];',
      'const myprocess = { env: {} }; myprocess.env.NOT_PROCESS;',
      "const url = 'http://example.com/' + process.env.AFTER_URL_STRING; // process.env.TRAILING",
      'const re = /https?:\\/\\//; const z = process.env.AFTER_REGEX;',
      'const t = `a // b ${process.env.IN_TEMPLATE}`;',
    ].join('\n');
    expect(envReadsOf('app.js', text).map((r) => r.name)).toEqual(['AFTER_URL_STRING', 'AFTER_REGEX', 'IN_TEMPLATE']);
  });

  it('comment stripping keeps offsets and line breaks', () => {
    const text = "a(); // x\n/* y\n z */ b('//');\n";
    const clean = stripComments(text, 'js');
    expect(clean).toHaveLength(text.length);
    expect(clean.split('\n')).toHaveLength(text.split('\n').length);
    expect(clean).toContain("b('//')");
    expect(clean).not.toMatch(/[xyz]/);
  });
});

describe('Java reads', () => {
  it('getenv with and without fallbacks, system properties, and what is not the app\'s', () => {
    const text = [
      'class S {', // 1
      '  // System.getenv("COMMENTED")', // 2
      '  String a = System.getenv("A_URL");', // 3
      '  String b = Optional.ofNullable(System.getenv("B")).orElse("bee");', // 4
      '  String c = Objects.requireNonNullElse(System.getenv("C"), "sea");', // 5
      '  String d = System.getenv().getOrDefault("D", "dee");', // 6
      '  String e = System.getenv().get("E");', // 7
      '  String f = System.getProperty("app.mode", "batch");', // 8
      '  int g = Integer.getInteger("app.threads", 4);', // 9
      '  boolean h = Boolean.getBoolean("app.debug");', // 10
      '  String tmp = System.getProperty("java.io.tmpdir") + System.getProperty("catalina.base");', // 11
      '  String s = "see System.getenv(\\"IN_STRING\\") // not a comment";', // 12
      '  String u = System.getenv("AFTER_STRING");', // 13
      '  String k = System.getenv(key);', // 14
      '  String tb = """', // 15
      '      a text block // is not a comment', // 16
      '      """ + System.getenv("AFTER_BLOCK");', // 17
      '}',
    ].join('\n');
    const reads = envReadsOf('src/main/java/S.java', text);
    expect(reads.map((r) => [r.name, r.kind, r.line, r.default ?? null])).toEqual([
      ['A_URL', 'env', 3, null],
      ['B', 'env', 4, 'bee'],
      ['C', 'env', 5, 'sea'],
      ['D', 'env', 6, 'dee'],
      ['E', 'env', 7, null],
      ['app.mode', 'system-property', 8, 'batch'],
      ['app.threads', 'system-property', 9, '4'],
      ['app.debug', 'system-property', 10, 'false'],
      ['AFTER_STRING', 'env', 13, null],
      ['AFTER_BLOCK', 'env', 17, null],
    ]);
  });
});

describe('${…} placeholders in configuration', () => {
  it('.properties: env-style names, defaults with escapes, nested placeholders; comments and property references are not reads', () => {
    const text = [
      '# ${HASH_COMMENT}',
      '  ! ${BANG_COMMENT}',
      'db.url=${DB_URL}',
      'archive=${env.ARCHIVE_URL:jdbc\\:postgresql://localhost/archive}',
      'outer=${OUTER:${INNER:inner-default}}',
      'ref=${db.url}',
      'empty=${EMPTY_OK:}',
      'shell=${SHELL_STYLE:-dflt}',
    ].join('\n');
    expect(brief(envReadsOf('src/main/resources/application.properties', text))).toEqual([
      ['DB_URL', 3, null],
      ['ARCHIVE_URL', 4, 'jdbc:postgresql://localhost/archive'],
      ['OUTER', 5, null],
      ['INNER', 5, 'inner-default'],
      ['EMPTY_OK', 7, ''],
      ['SHELL_STYLE', 8, 'dflt'],
    ]);
  });

  it('Spring YAML: trailing comments go, a # inside quotes stays; XML comments go', () => {
    const yaml = ['a: ${A:1}  # ${COMMENTED}', 'b: "${B:#fff}"', "c: '${C:x}' # ${ALSO_COMMENTED}", '# ${LINE}'].join('\n');
    expect(brief(envReadsOf('config/application-prod.yml', yaml))).toEqual([
      ['A', 1, '1'],
      ['B', 2, '#fff'],
      ['C', 3, 'x'],
    ]);
    const xml = '<server>\n<!-- ${env.OLD_DB}\n -->\n<x value="${env.DB_HOST:localhost}"/>\n</server>';
    expect(brief(envReadsOf('standalone/configuration/standalone.xml', xml))).toEqual([['DB_HOST', 4, 'localhost']]);
  });

  it('reads only files the app reads at run time', () => {
    expect(envSyntaxOf('pom.xml')).toBeUndefined();
    expect(envSyntaxOf('build.xml')).toBeUndefined();
    expect(envSyntaxOf('docker-compose.yml')).toBeUndefined();
    expect(envSyntaxOf('public/js/app.js')).toBeUndefined();
    expect(envSyntaxOf('types/env.d.ts')).toBeUndefined();
    expect(envSyntaxOf('src/main/resources/bootstrap.yaml')).toBe('yaml');
    expect(envSyntaxOf('src/main/liberty/config/server.xml')).toBe('xml');
    const sources = { 'a.js': 'process.env.JS_VAR', 'A.java': 'class A { String a = System.getenv("JAVA_VAR"); }' };
    expect(collectEnvReads(sources, { language: 'node' }).map((r) => r.name)).toEqual(['JS_VAR']);
    expect(collectEnvReads(sources, { language: 'java', container: 'jar' }).map((r) => r.name)).toEqual(['JAVA_VAR']);
  });
});

describe('merging reads into the variable plan', () => {
  const read = (name: string, def?: string, line = 1): EnvRead => ({ name, kind: 'env', file: 'src/app.js', line, via: 'process.env', ...(def === undefined ? {} : { default: def }) });
  const adapter: EnvVar = { name: 'REDIS_URL', secret: false, default: 'redis://redis:6379', description: 'Redis', usages: [], origin: 'adapter' };

  it('one entry per name: a finding\'s or an adapter\'s variable takes the reads; new ones go before the adapters\'', () => {
    const plan = planEnv([finding({ file: 'config/db.properties', line: 2, ruleId: 'config/properties-host-key', concern: 'host-bound-config', captures: { key: 'db.host', value: 'db01.corp' } })], [adapter]);
    addEnvReads(plan, [read('DB_HOST', 'localhost'), read('REDIS_URL', 'redis://localhost'), read('API_TOKEN', 'committed-token'), read('MAIL_FROM'), read('MAIL_FROM', 'shop@example.com', 9), read('HOME')], { node: true, appPort: 3000 });
    expect(plan.vars.map((v) => v.name)).toEqual(['DB_HOST', 'API_TOKEN', 'MAIL_FROM', 'REDIS_URL']);
    const by = Object.fromEntries(plan.vars.map((v) => [v.name, v]));
    // the finding's value stays the default: it is what the overlay writes in place of the literal
    expect(by.DB_HOST!.default).toBe('db01.corp');
    expect(by.DB_HOST!.reads).toHaveLength(1);
    expect(by.REDIS_URL!.default).toBe('redis://redis:6379');
    expect(by.API_TOKEN!.secret).toBe(true);
    expect(by.API_TOKEN!.default).toBeUndefined();
    expect(by.MAIL_FROM!.default).toBe('shop@example.com');
    expect(by.MAIL_FROM!.reads!.map((r) => r.line)).toEqual([1, 9]);
    expect(plan.reads).toHaveLength(6);
  });

  it('PORT is the port the Deployment expects; NODE_ENV is production only where the image sets it', () => {
    const node = planEnv([], []);
    addEnvReads(node, [read('PORT', '8080'), read('NODE_ENV', 'development')], { node: true, appPort: 3000 });
    expect(node.vars.map((v) => [v.name, v.default])).toEqual([['PORT', '3000'], ['NODE_ENV', 'production']]);
    const java = planEnv([], []);
    addEnvReads(java, [read('NODE_ENV', 'development')], { node: false, appPort: 8080 });
    expect(java.vars[0]!.default).toBe('development');
  });
});

/** Generates an app through the CLI twice into the same folder. */
function generateTwice(app: string): { root: string; out: string; read(p: string): string; second: { code: number; stdout: string; stderr: string } } {
  const root = path.join(REPO_ROOT, 'fixtures', app);
  const out = path.join(tempDir(), 'out');
  const first = runCli(['generate', root, '--out', out]);
  expect(first.code, first.stderr).toBe(0);
  const files = Object.fromEntries(['.env.example', 'k8s/configmap.yaml', 'MIGRATION.md'].map((f) => [f, readFileSync(path.join(out, f), 'utf8')]));
  const second = runCli(['generate', root, '--out', out]);
  expect(second.code, second.stderr).toBe(0);
  for (const [f, text] of Object.entries(files)) expect(readFileSync(path.join(out, f), 'utf8'), f).toBe(text);
  return { root, out, read: (p) => readFileSync(path.join(out, p), 'utf8'), second };
}

/** `NAME=value` lines of .env.example */
const envLines = (text: string) => Object.fromEntries(text.split('\n').filter((l) => /^[A-Za-z_]\w*=/.test(l)).map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]));
const envNames = (text: string) => text.split('\n').filter((l) => /^[A-Za-z_]\w*=/.test(l)).map((l) => l.slice(0, l.indexOf('=')));

/** ConfigMap data, plus the commented-out entries of variables that have no default in the code. */
function configMap(text: string): { data: Record<string, string>; unset: string[] } {
  const doc = parseDocument(text);
  expect(doc.errors).toEqual([]);
  return { data: ((doc.toJS() as Obj).data ?? {}) as Record<string, string>, unset: [...text.matchAll(/^ {2}# ([A-Za-z_]\w*): ""/gm)].map((m) => m[1]!) };
}

describe('sample-legacy-node through the CLI', () => {
  let g: ReturnType<typeof generateTwice>;
  let reads: EnvRead[];
  beforeAll(() => {
    g = generateTwice('sample-legacy-node');
    // what the app's own files read, by the same reader: the CLI must hand every one of them over
    const files = ['config/index.js', 'lib/inventory-client.ts', 'server.js'];
    reads = files.flatMap((f) => envReadsOf(f, readFileSync(path.join(g.root, f), 'utf8')));
  });

  it('the reader finds the variables config/index.js and server.js read', () => {
    const config = readFileSync(path.join(g.root, 'config/index.js'), 'utf8');
    const mongo = reads.find((r) => r.name === 'MONGO_URL')!;
    expect(config.split('\n')[mongo.line - 1]).toContain('process.env.MONGO_URL');
    expect(mongo.default).toBe(/process\.env\.MONGO_URL \|\| '([^']+)'/.exec(config)![1]);
    expect(reads.map((r) => r.name)).toEqual(expect.arrayContaining(['NODE_ENV', 'MONGO_URL', 'SMTP_HOST', 'SMTP_USER', 'SMTP_PASSWORD', 'INVENTORY_URL', 'PORT']));
  });

  it('every variable the app reads is in .env.example once, and in the ConfigMap or the Secret template', () => {
    const env = g.read('.env.example');
    const names = envNames(env);
    expect(new Set(names).size).toBe(names.length);
    const cm = configMap(g.read('k8s/configmap.yaml'));
    const secret = (parse(g.read('k8s/secret.template.yaml')) as Obj).stringData as Record<string, string>;
    for (const r of reads) {
      expect(names, r.name).toContain(r.name);
      const places = [r.name in cm.data, cm.unset.includes(r.name), r.name in secret].filter(Boolean);
      expect(places, r.name).toHaveLength(1);
    }
    expect(cm.data.MONGO_URL).toBe(reads.find((r) => r.name === 'MONGO_URL')!.default);
    expect(envLines(env).MONGO_URL).toBe(cm.data.MONGO_URL);
    expect(secret.SMTP_PASSWORD).toBe('REPLACE_ME');
    expect(envLines(env).SMTP_PASSWORD).toBe('');
    expect(cm.unset).toEqual(expect.arrayContaining(['SMTP_HOST', 'SMTP_USER']));
    // the image sets NODE_ENV=production; the ConfigMap must not turn it back to the code's default
    expect(g.read('Dockerfile')).toContain('ENV NODE_ENV=production');
    expect(cm.data.NODE_ENV).toBe('production');
    expect(cm.data.PORT).toBe(String(parse(g.read('paasport-shim.yaml')).appPort));
  });

  it('the plan has a row per read with where and the default in the code', () => {
    const plan = g.read('MIGRATION.md');
    const table = plan.slice(plan.indexOf('### Read by the app'));
    for (const r of reads) {
      const row = table.split('\n').find((l) => l.startsWith(`| \`${r.name}\` | \`${r.file}:${r.line}\``));
      expect(row, r.name).toBeDefined();
      if (r.default && r.name !== 'SMTP_PASSWORD') expect(row).toContain(`\`${r.default}\``);
    }
  });

  it('a second run changes nothing', () => {
    expect(g.second.stdout).toMatch(/\(0 written, \d+ unchanged\)/);
  });
});

describe('fixtures/generate-env-java through the CLI', () => {
  let g: ReturnType<typeof generateTwice>;
  beforeAll(() => {
    g = generateTwice('generate-env-java');
  });

  it('getenv, Optional / requireNonNullElse / getOrDefault fallbacks and Spring placeholders reach .env.example and the ConfigMap', () => {
    const env = envLines(g.read('.env.example'));
    const cm = configMap(g.read('k8s/configmap.yaml'));
    expect(env).toMatchObject({ ORDERS_REGION: 'eu-west-1', ORDERS_QUEUE: 'orders-in', PRICE_FEED_URL: 'https://feeds.example.com/prices', MAIL_HOST: 'smtp.example.com', REPORT_DIR: '/srv/reports', REDIS_HOST: 'localhost', REDIS_PORT: '6379', ORDERS_DB_URL: '', ORDERS_DB_PASSWORD: '' });
    expect(cm.data).toMatchObject({ ORDERS_REGION: 'eu-west-1', ORDERS_QUEUE: 'orders-in', PRICE_FEED_URL: 'https://feeds.example.com/prices', REDIS_HOST: 'localhost', REDIS_PORT: '6379' });
    // read in Settings.java and application.yml, with no default in either: one commented entry
    expect(cm.unset).toEqual(['ORDERS_DB_URL']);
    expect((parse(g.read('k8s/secret.template.yaml')) as Obj).stringData.ORDERS_DB_PASSWORD).toBe('REPLACE_ME');
    expect(cm.data).not.toHaveProperty('ORDERS_DB_PASSWORD');
  });

  it('a variable named by a finding and read by the code is one entry', () => {
    const names = envNames(g.read('.env.example'));
    expect(names.filter((n) => n === 'CACHE_HOST')).toHaveLength(1);
    expect(g.read('.env.example')).toMatch(/^# replaces src\/main\/resources\/application\.properties:5; read at src\/main\/java\/com\/example\/orders\/Settings\.java:\d+$/m);
    expect(configMap(g.read('k8s/configmap.yaml')).data.CACHE_HOST).toBe('cache01.corp.example');
  });

  it('comments, tests, the build, browser code and the system are not the app\'s settings', () => {
    const all = `${g.read('.env.example')}\n${g.read('k8s/configmap.yaml')}\n${g.read('MIGRATION.md')}`;
    for (const n of ['OLD_ORDERS_DB', 'LEGACY_QUEUE_URL', 'COMMENTED_OUT', 'ALSO_COMMENTED', 'COMMENTED_PROPERTY', 'BANG_COMMENT', 'TEST_ONLY_VAR', 'BUILD_NUMBER', 'API_BASE', 'orders.default-page-size', 'java.io.tmpdir']) expect(all, n).not.toContain(n);
    expect(envNames(g.read('.env.example'))).not.toContain('HOME');
    expect(g.read('MIGRATION.md')).toMatch(/^\| `HOME` \| .* \| the system or the image \(not generated\) \|$/m);
  });

  it('system properties are -D flags for JAVA_TOOL_OPTIONS, not ConfigMap entries', () => {
    expect(g.read('.env.example')).toContain('# JAVA_TOOL_OPTIONS="-Dorders.mode=batch -Dorders.threads=4"');
    const plan = g.read('MIGRATION.md');
    expect(plan).toMatch(/^\| `-Dorders\.mode` \(system property\) \| `src\/main\/java\/com\/example\/orders\/Settings\.java:\d+` System\.getProperty \| `batch` \| `JAVA_TOOL_OPTIONS`/m);
    expect(plan).toMatch(/^\| `-Dorders\.threads` \(system property\) \| .* Integer\.getInteger \| `4` \|/m);
    expect(Object.keys(configMap(g.read('k8s/configmap.yaml')).data).some((k) => k.includes('.'))).toBe(false);
  });
});
