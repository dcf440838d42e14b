/** Config files, flags and template rendering, through the real shim. */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../helpers.js';
import { freePort, httpStatus, killLeftoverShims, SERVER_APP, startShim, waitFor } from './shim-helpers.js';

// Prints the rendered file and its arguments, then exits 0.
const SHOW = `
import fs from 'node:fs';
fs.writeFileSync('started.marker', 'yes');
process.stdout.write('ARGS ' + JSON.stringify(process.argv.slice(2)) + '\\n');
for (const f of process.env.SHOW.split(',')) process.stdout.write('--- ' + f + '\\n' + fs.readFileSync(f, 'utf8') + '\\n--- end\\n');
`;

describe('paasport run: configuration', () => {
  let dir: string;
  beforeAll(() => {
    dir = tempDir('paasport-shim-config-');
    writeFileSync(path.join(dir, 'show.mjs'), SHOW);
    writeFileSync(path.join(dir, 'server.mjs'), SERVER_APP);
  });
  afterEach(killLeftoverShims);

  it('renders ${VAR}, ${VAR:default} and VAR_FILE secrets before the app starts', async () => {
    const d = tempDir('paasport-shim-render-');
    writeFileSync(path.join(d, 'show.mjs'), SHOW);
    writeFileSync(path.join(d, 'db-password'), 's3cr:et\n');
    writeFileSync(
      path.join(d, 'app.properties.tmpl'),
      'db.url=jdbc:postgresql://${DB_HOST}:${DB_PORT:5432}/${DB_NAME:}\ndb.password=${DB_PASSWORD}\nspring.placeholder=$${KEEP_ME}\nempty.default=[${NOPE:}]\n',
    );
    const shim = startShim(['--health-port', '0', '--restart', 'never', '--render', 'app.properties.tmpl:conf/app.properties', '--', 'node', 'show.mjs'], {
      cwd: d,
      env: { SHOW: 'conf/app.properties', DB_HOST: 'db.internal', DB_PASSWORD_FILE: path.join(d, 'db-password') },
    });
    expect((await shim.exited).code).toBe(0);
    expect(readFileSync(path.join(d, 'conf/app.properties'), 'utf8')).toBe(
      'db.url=jdbc:postgresql://db.internal:5432/\ndb.password=s3cr:et\nspring.placeholder=${KEEP_ME}\nempty.default=[]\n',
    );
    expect(shim.stdout()).toContain('db.password=s3cr:et\n');
  });

  it('refuses to start with exit 78 and one line naming every missing variable', async () => {
    const d = tempDir('paasport-shim-missing-');
    writeFileSync(path.join(d, 'show.mjs'), SHOW);
    writeFileSync(path.join(d, 'a.tmpl'), 'host=${DB_HOST}\nport=${DB_PORT:5432}\n');
    writeFileSync(path.join(d, 'b.tmpl'), 'key=${API_KEY}\n');
    const shim = startShim(['--health-port', '0', '--render', 'a.tmpl:out/a.conf', '--render', 'b.tmpl:out/b.conf', '--', 'node', 'show.mjs'], {
      cwd: d,
      env: { SHOW: 'out/a.conf', DB_HOST: '', API_KEY: undefined, DB_HOST_FILE: undefined },
    });
    const { code } = await shim.exited;
    expect(code).toBe(78);
    const lines = shim.stderr().trim().split('\n');
    expect(lines).toEqual(['paasport run: missing required variable: API_KEY (b.tmpl) — set it or <NAME>_FILE, or give a default with ${NAME:default}']);
    // Nothing half-rendered, and the app never ran.
    expect(existsSync(path.join(d, 'out'))).toBe(false);
    expect(existsSync(path.join(d, 'started.marker'))).toBe(false);

    const both = startShim(['--health-port', '0', '--render', 'b.tmpl:out/b.conf', '--', 'node', 'show.mjs'], { cwd: d, env: { API_KEY: 'x', API_KEY_FILE: '/nonexistent' } });
    expect((await both.exited).code).toBe(78);
    expect(both.stderr()).toBe('paasport run: config error: both API_KEY and API_KEY_FILE are set\n');
  });

  it('reads a YAML-subset config file, lets flags override it, and passes the app its own flags untouched', async () => {
    const d = tempDir('paasport-shim-yaml-');
    writeFileSync(path.join(d, 'show.mjs'), SHOW);
    writeFileSync(path.join(d, 'greeting.tmpl'), 'hello ${WHO:world}\n');
    const healthPort = await freePort();
    writeFileSync(
      path.join(d, 'paasport-shim.yaml'),
      `# written by paasport generate
name: "show-app"
health-port: 1        # overridden by the flag below
drainSeconds: 0.5
restart: never
render:
  - greeting.tmpl:out/greeting.txt   # a comment after an item
logs: []
`,
    );
    const shim = startShim(['--config', 'paasport-shim.yaml', '--health-port', String(healthPort), '--', 'node', 'show.mjs', '--config', 'x.yaml', '--name', '--', 'z'], {
      cwd: d,
      env: { SHOW: 'out/greeting.txt', WHO: 'platform' },
    });
    expect((await shim.exited).code).toBe(0);
    expect(shim.stdout()).toContain('ARGS ["--config","x.yaml","--name","--","z"]\n');
    expect(shim.stdout()).toContain('hello platform\n');
    expect(shim.stderr()).toMatch(/show-app exited with code 0; not restarting \(restart: never\)/);
  });

  it('renders again on SIGHUP (a rotated secret file) before forwarding the signal to the app', async () => {
    const d = tempDir('paasport-shim-hup-');
    writeFileSync(path.join(d, 'pw'), 'one\n');
    writeFileSync(path.join(d, 'app.conf.tmpl'), 'pw=${PW}\n');
    writeFileSync(
      path.join(d, 'reload.mjs'),
      "import fs from 'node:fs';\nconst show = (tag) => process.stdout.write(tag + ' ' + fs.readFileSync('out/app.conf', 'utf8'));\nshow('READY');\nprocess.on('SIGHUP', () => show('RELOADED'));\nprocess.on('SIGTERM', () => process.exit(0));\nsetInterval(() => {}, 1000);\n",
    );
    const shim = startShim(['--health-port', '0', '--drain-seconds', '0', '--render', 'app.conf.tmpl:out/app.conf', '--', 'node', 'reload.mjs'], { cwd: d, env: { PW_FILE: path.join(d, 'pw') } });
    await waitFor('app start', () => shim.stdout().includes('READY pw=one\n'));
    writeFileSync(path.join(d, 'pw'), 'two\n');
    shim.proc.kill('SIGHUP');
    await waitFor('reload', () => shim.stdout().includes('RELOADED pw=two\n'));
    shim.proc.kill('SIGTERM');
    expect((await shim.exited).code).toBe(0);
  });

  it('reads a JSON config with an app port and serves readiness from it', async () => {
    const d = tempDir('paasport-shim-json-');
    writeFileSync(path.join(d, 'server.mjs'), SERVER_APP);
    const appPort = await freePort();
    const healthPort = await freePort();
    writeFileSync(path.join(d, 'paasport-shim.json'), JSON.stringify({ name: 'json-app', healthPort, appPort, drainSeconds: 0, graceSeconds: 2 }));
    const shim = startShim(['--config', 'paasport-shim.json', '--', 'node', 'server.mjs'], { cwd: d, env: { PORT: String(appPort), MARK: path.join(d, 'm.jsonl') } });
    await waitFor('ready', async () => (await httpStatus(`http://127.0.0.1:${healthPort}/readyz`)) === 200);
    expect(await httpStatus(`http://127.0.0.1:${healthPort}/nope`)).toBe(404);
    shim.proc.kill('SIGTERM');
    expect((await shim.exited).code).toBe(0);
    expect(shim.stderr()).toMatch(/json-app is ready/);
  });

  it('rejects bad options and config with one line: 2 for flags, 78 for config', async () => {
    const d = tempDir('paasport-shim-bad-');
    const cases: Array<{ args: string[]; code: number; line: RegExp }> = [
      { args: ['--bogus', '1', '--', 'true'], code: 2, line: /^paasport run: unknown option --bogus \(see paasport run --help\)$/ },
      { args: ['--health-port'], code: 2, line: /^paasport run: --health-port needs a value$/ },
      { args: ['--health-port', '0'], code: 2, line: /^paasport run: no app command: paasport run \[options\] -- <command> \[args\.\.\.\]$/ },
      { args: ['--drain-seconds', 'soon', '--', 'true'], code: 78, line: /^paasport run: drain-seconds: expected a number of seconds ≥ 0, got "soon"$/ },
      { args: ['--config', 'nested.yaml', '--', 'true'], code: 78, line: /^paasport run: nested\.yaml:2: not supported by the shim's YAML subset/ },
      { args: ['--config', 'unknown.yaml', '--', 'true'], code: 78, line: /^paasport run: unknown\.yaml: unknown key "helthPort"$/ },
      { args: ['--config', 'missing.yaml', '--', 'true'], code: 78, line: /^paasport run: cannot read config missing\.yaml: ENOENT$/ },
    ];
    writeFileSync(path.join(d, 'nested.yaml'), 'probes:\n  readiness: /ready\n');
    writeFileSync(path.join(d, 'unknown.yaml'), 'helthPort: 9000\n');
    for (const c of cases) {
      const shim = startShim(c.args, { cwd: d });
      const { code } = await shim.exited;
      const lines = shim.stderr().trim().split('\n');
      expect({ args: c.args, code, lines: lines.length }).toEqual({ args: c.args, code: c.code, lines: 1 });
      expect(lines[0]).toMatch(c.line);
    }
  });
});
