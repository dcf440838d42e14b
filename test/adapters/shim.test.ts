/**
 * The image must build from the generated folder alone: the runtime shim is copied into it (paasport
 * is not on npm), runs from there without any node_modules, and every file the Dockerfile copies from
 * the output folder is one generate wrote.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { generate, type GeneratedFile, type Runtime } from '../../adapters/index.js';
import { writeGenerated } from '../../cli/commands/generate.js';
import { REPO_ROOT } from '../helpers.js';
import { generateJavaApp, generateNodeApp, javaFindings, nodeFindings } from './apps.js';
import { finding, scanResult, shimBundle } from './helpers.js';

/** A folder outside the repository, with no node_modules on the way up to the root. */
function isolatedDir(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'paasport-shim-'));
  expect(path.relative(REPO_ROOT, dir).startsWith('..')).toBe(true);
  for (let d = dir; ; d = path.dirname(d)) {
    expect(existsSync(path.join(d, 'node_modules')), d).toBe(false);
    if (path.dirname(d) === d) break;
  }
  return dir;
}

interface Copy {
  flags: string[];
  sources: string[];
  dest: string;
}

/** COPY instructions (one per line, as generate writes them): flags, sources, destination. */
function copies(dockerfile: string): Copy[] {
  return dockerfile
    .split('\n')
    .filter((l) => /^COPY\s/.test(l))
    .map((l) => {
      const words = l.trim().split(/\s+/).slice(1);
      const flags = words.filter((w) => w.startsWith('--'));
      const rest = words.filter((w) => !w.startsWith('--'));
      return { flags, sources: rest.slice(0, -1), dest: rest[rest.length - 1]! };
    });
}

function checkDockerfile(files: GeneratedFile[], outDir = 'paasport-out'): void {
  const d = files.find((f) => f.path === 'Dockerfile')!.contents;
  const paths = files.map((f) => f.path);
  expect(d).not.toMatch(/npm (install|i)\b.*paasport/);
  const fromOut = copies(d).filter((c) => !c.flags.some((f) => f.startsWith('--from=')) && c.sources.some((s) => s.startsWith(`${outDir}/`)));
  expect(fromOut.length).toBeGreaterThanOrEqual(2);
  for (const c of fromOut) {
    for (const s of c.sources) {
      const rel = s.slice(outDir.length + 1);
      // a folder source copies what generate wrote under it; a file source must be one of its files
      if (rel.endsWith('/')) expect(paths.some((p) => p.startsWith(rel)), s).toBe(true);
      else expect(paths, s).toContain(rel);
    }
  }
  // The entry point runs a file that one of those COPY lines puts in the image.
  const entry = JSON.parse(/^ENTRYPOINT (.*)$/m.exec(d)![1]!) as string[];
  const script = entry.find((a) => a.endsWith('.js'))!;
  const shimCopy = fromOut.find((c) => c.dest.endsWith('/') && script.startsWith(c.dest))!;
  expect(shimCopy, script).toBeDefined();
  expect(paths).toContain(`${shimCopy.sources[0]!.slice(outDir.length + 1)}${script.slice(shimCopy.dest.length)}`);
  // Java images get node from the official image's stage; that stage must exist.
  for (const c of copies(d).filter((x) => x.flags.some((f) => f.startsWith('--from=')))) {
    const stage = c.flags.find((f) => f.startsWith('--from='))!.slice('--from='.length);
    expect(d).toMatch(new RegExp(`^FROM \\S+ AS ${stage}$`, 'm'));
    expect(c.sources).toEqual([entry[0]]);
  }
}

/** Each RUN line of the last stage with the USER in effect when it runs (root until a USER says otherwise). */
function runsAs(dockerfile: string): Array<{ run: string; user: string }> {
  const lines = dockerfile.split('\n');
  const last = lines.map((l, i) => (l.startsWith('FROM ') ? i : -1)).filter((i) => i >= 0).pop()!;
  const base = /^FROM \S+/.exec(lines[last]!)![0];
  // the base images' own users, which the generated Dockerfile inherits
  let user = /wildfly/.test(base) ? 'jboss' : /open-liberty/.test(base) ? '1001' : 'root';
  const out: Array<{ run: string; user: string }> = [];
  for (const l of lines.slice(last + 1)) {
    if (l.startsWith('USER ')) user = l.slice(5).trim();
    if (l.startsWith('RUN ')) out.push({ run: l.slice(4), user });
  }
  return out;
}

/** The final USER of a Dockerfile. */
const finalUser = (d: string) => d.split('\n').filter((l) => l.startsWith('USER ')).pop()!.slice(5);

function javaDockerfile(container: 'tomcat' | 'wildfly' | 'liberty' | 'jar', withNeeds = false): string {
  const findings = [...javaFindings(), ...(withNeeds ? [finding({ file: 'src/main/java/a/Pdf.java', line: 3, ruleId: 'java/process-exec', concern: 'process-exec', captures: { value: 'wkhtmltopdf' } })] : [])];
  const files = generate(scanResult(findings), {
    name: 'shop',
    unit: { cpu: '500m', memory: '512Mi' },
    units: 1,
    runtime: { language: 'java', container },
    files: ['pom.xml', 'src/main/webapp/WEB-INF/web.xml', ...(container === 'liberty' ? ['src/main/liberty/config/server.xml'] : [])],
    shim: shimBundle(),
  });
  return files.find((f) => f.path === 'Dockerfile')!.contents;
}

describe('the node binary in the Java images', () => {
  for (const container of ['tomcat', 'wildfly', 'liberty', 'jar'] as const) {
    it(`${container}: the build runs node --version after copying it, and the image ends as a non-root user`, () => {
      const d = javaDockerfile(container);
      const lines = d.split('\n');
      const copy = lines.findIndex((l) => /^COPY --from=node \/usr\/local\/bin\/node /.test(l));
      const check = lines.indexOf('RUN ["/usr/local/bin/node", "--version"]');
      expect(copy).toBeGreaterThan(0);
      expect(check).toBeGreaterThan(copy);
      expect(finalUser(d)).not.toBe('root');
    });
  }

  for (const container of ['wildfly', 'liberty'] as const) {
    it(`${container} (UBI): libstdc++ is installed as root, only when node cannot start; the server's own steps keep its user`, () => {
      const runs = runsAs(javaDockerfile(container, true));
      const install = runs.find((r) => r.run.includes('libstdc++'))!;
      expect(install.user).toBe('root');
      expect(install.run).toMatch(/^\/usr\/local\/bin\/node --version >\/dev\/null 2>&1 \|\| /);
      if (container === 'liberty') expect(runs.find((r) => r.run === 'configure.sh')!.user).toBe('1001');
    });
  }

  it('the libstdc++ step uses whichever package manager the image has, and none when node runs', () => {
    const install = runsAs(javaDockerfile('wildfly')).find((r) => r.run.includes('libstdc++'))!.run;
    const dir = mkdtempSync(path.join(os.tmpdir(), 'paasport-ubi-'));
    const log = path.join(dir, 'log');
    const script = (file: string, body: string) => {
      writeFileSync(file, `#!/bin/sh\n${body}\n`);
      chmodSync(file, 0o755);
    };
    for (const m of ['microdnf', 'dnf', 'yum']) script(path.join(dir, m), `echo "${m} $*" >> ${log}`);
    /** Runs the step with a node that starts or not, and only the given package managers on PATH. */
    const run = (nodeWorks: boolean, managers: string[]) => {
      writeFileSync(log, '');
      const node = path.join(dir, 'node');
      script(node, nodeWorks ? 'exit 0' : 'exit 127');
      const bin = mkdtempSync(path.join(dir, 'bin-'));
      for (const m of managers) symlinkSync(path.join(dir, m), path.join(bin, m));
      const r = spawnSync('/bin/sh', ['-c', install.replaceAll('/usr/local/bin/node', node)], { env: { PATH: bin }, encoding: 'utf8' });
      return { status: r.status, calls: readFileSync(log, 'utf8').trim().split('\n').filter(Boolean) };
    };
    expect(run(true, ['microdnf'])).toEqual({ status: 0, calls: [] });
    expect(run(false, ['microdnf'])).toEqual({ status: 0, calls: ['microdnf install -y libstdc++', 'microdnf clean all'] });
    expect(run(false, ['yum'])).toEqual({ status: 0, calls: ['yum install -y libstdc++', 'yum clean all'] });
    expect(run(false, ['dnf', 'yum']).calls[0]).toBe('dnf install -y libstdc++');
  });

  it('needs listed for a UBI image are installed as root, before the final USER', () => {
    for (const container of ['wildfly', 'liberty'] as const) {
      const lines = javaDockerfile(container, true).split('\n');
      const need = lines.findIndex((l) => l.startsWith('# needs: '));
      expect(need, container).toBeGreaterThan(0);
      const userBefore = lines.slice(0, need).filter((l) => l.startsWith('USER ')).pop();
      expect(userBefore, container).toBe('USER root');
      expect(lines.slice(need).some((l) => l.startsWith('USER ') && l !== 'USER root'), container).toBe(true);
    }
  });
});

describe('runtime shim in the output folder', () => {
  it('carries main.js and every module it imports, plus a package.json making them ES modules', () => {
    const files = generateNodeApp(false);
    const shim = files.filter((f) => f.path.startsWith('paasport-shim/'));
    const names = shim.map((f) => f.path.slice('paasport-shim/'.length));
    expect(names).toEqual(expect.arrayContaining(['main.js', 'config.js', 'supervisor.js', 'health.js', 'package.json', 'README.md']));
    for (const f of shim.filter((x) => x.path.endsWith('.js'))) {
      for (const m of f.contents.matchAll(/from\s+['"](\.[^'"]+)['"]/g)) expect(names, `${f.path} imports ${m[1]}`).toContain(m[1]!.slice(2));
      for (const m of f.contents.matchAll(/from\s+['"]([^.'"][^'"]*)['"]/g)) expect(m[1], f.path).toMatch(/^node:/);
      expect(f.contents).not.toContain('sourceMappingURL');
    }
    expect(JSON.parse(shim.find((f) => f.path === 'paasport-shim/package.json')!.contents)).toMatchObject({ type: 'module', version: shimBundle().version });
    expect(shim.find((f) => f.path === 'paasport-shim/README.md')!.contents).toContain(`paasport ${shimBundle().version}`);
  });

  it('runs from a copy of the output folder with no node_modules anywhere', () => {
    const out = path.join(isolatedDir(), 'out');
    writeGenerated(out, generateJavaApp(), false);
    const main = path.join(out, 'paasport-shim', 'main.js');
    const help = spawnSync(process.execPath, [main, '--help'], { cwd: path.dirname(out), encoding: 'utf8', env: { PATH: process.env.PATH } });
    expect(help.stderr).toBe('');
    expect(help.status).toBe(0);
    expect(help.stdout).toMatch(/^Usage: paasport run /);
    // A real run with the generated config: the app's output passes through and its exit code comes back.
    const run = spawnSync(
      process.execPath,
      [main, '--config', path.join(out, 'paasport-shim.yaml'), '--health-port', '0', '--restart', 'never', '--', process.execPath, '-e', "console.log('app says hi'); process.exit(3)"],
      { cwd: path.dirname(out), encoding: 'utf8', env: { PATH: process.env.PATH }, timeout: 30_000 },
    );
    expect(run.stdout).toContain('app says hi');
    expect(run.stderr).toMatch(/paasport run: .*exited with code 3/);
    expect(run.status).toBe(3);
    expect(readdirSync(path.dirname(out))).toEqual(['out']);
  });

  const containers: Runtime[] = [{ language: 'node' }, ...(['tomcat', 'wildfly', 'liberty', 'jar'] as const).map((c): Runtime => ({ language: 'java', container: c }))];
  for (const runtime of containers) {
    const label = runtime.language === 'java' ? runtime.container : 'node';
    it(`${label} Dockerfile copies only generated files from the output folder and starts the copied shim`, () => {
      const java = runtime.language === 'java';
      const files = generate(scanResult(java ? javaFindings() : nodeFindings()), {
        name: 'shop',
        unit: { cpu: '500m', memory: '512Mi' },
        units: 2,
        runtime,
        files: java ? ['pom.xml', 'src/main/webapp/WEB-INF/web.xml', ...(runtime.container === 'liberty' ? ['src/main/liberty/config/server.xml'] : [])] : ['package.json', 'server.js'],
        outInContext: 'deploy/paasport',
        shim: shimBundle(),
      });
      checkDockerfile(files, 'deploy/paasport');
    });
  }

  it('a Liberty app with no generated Liberty config gets no COPY of it', () => {
    const files = generate(scanResult([finding({ file: 'src/main/java/a/Pdf.java', line: 3, ruleId: 'java/process-exec', concern: 'process-exec' })]), {
      name: 'pdf',
      unit: { cpu: '1', memory: '1Gi' },
      units: 1,
      runtime: { language: 'java', container: 'liberty' },
      files: ['pom.xml', 'src/main/liberty/config/server.xml'],
      shim: shimBundle(),
    });
    expect(files.some((f) => f.path.startsWith('overlays/liberty/'))).toBe(false);
    checkDockerfile(files);
  });

  it('the sample apps (default output folder) pass the same checks', () => {
    checkDockerfile(generateJavaApp());
    checkDockerfile(generateNodeApp());
  });
});
