/**
 * Config overlays in each file's own syntax, variable naming, and the ESM flavour of the Node patches,
 * on hand-made findings (the same shapes the analyzers capture).
 */
import { describe, expect, it } from 'vitest';
import { generate } from '../../adapters/index.js';
import { toEnvName } from '../../adapters/env-vars.js';
import { finding, scanResult, shimBundle } from './helpers.js';

const opts = { name: 'app', unit: { cpu: '500m', memory: '512Mi' }, units: 2, shim: shimBundle() };
const get = (files: { path: string; contents: string }[], p: string) => files.find((f) => f.path === p)?.contents;

describe('overlays', () => {
  it('Spring YAML: ${VAR:default}, the secret quoted without a default', () => {
    const file = 'src/main/resources/application.yml';
    const text = 'spring:\n  datasource:\n    url: jdbc:postgresql://pg01.prod:5432/orders\n    password: tiger-Secret-99\n';
    const files = generate(
      scanResult([
        finding({ file, line: 3, ruleId: 'config/yaml-url-literal-host', concern: 'host-bound-config', captures: { key: 'spring.datasource.url', value: 'jdbc:postgresql://pg01.prod:5432/orders' } }),
        finding({ file, line: 4, ruleId: 'config/yaml-credentials', concern: 'local-credentials', captures: { key: 'spring.datasource.password' } }),
      ]),
      { ...opts, runtime: { language: 'java', container: 'jar' }, files: [file], sources: { [file]: text } },
    );
    expect(get(files, `overlays/${file}`)).toBe('spring:\n  datasource:\n    url: ${SPRING_DATASOURCE_URL:jdbc:postgresql://pg01.prod:5432/orders}\n    password: "${SPRING_DATASOURCE_PASSWORD}"\n');
    expect(files.some((f) => f.contents.includes('tiger-Secret-99'))).toBe(false);
  });

  it('WildFly XML: ${env.VAR:default}; Liberty: ${VAR} with defaults in a configDropins file', () => {
    const wf = 'configuration/standalone.xml';
    const lib = 'src/main/liberty/config/server.xml';
    const files = generate(
      scanResult([
        finding({ file: wf, line: 2, ruleId: 'config/xml-url-literal-host-text', concern: 'host-bound-config', captures: { key: 'connection-url', value: 'jdbc:oracle:thin:@ora01:1521:XE' } }),
        finding({ file: lib, line: 2, ruleId: 'config/xml-url-literal-host-attribute', concern: 'host-bound-config', captures: { key: 'serverName', value: 'db2.corp' } }),
        finding({ file: lib, line: 3, ruleId: 'config/xml-credentials-attribute', concern: 'local-credentials', captures: { key: 'password' } }),
      ]),
      {
        ...opts,
        runtime: { language: 'java', container: 'liberty' },
        files: [wf, lib],
        sources: {
          [wf]: '<datasources>\n  <connection-url>jdbc:oracle:thin:@ora01:1521:XE</connection-url>\n</datasources>\n',
          [lib]: '<server>\n  <properties.db2.jcc serverName="db2.corp" portNumber="50000"/>\n  <authData id="a" user="u" password="s3cret-Liberty"/>\n</server>\n',
        },
      },
    );
    expect(get(files, `overlays/${wf}`)).toContain('<connection-url>${env.CONNECTION_URL:jdbc:oracle:thin:@ora01:1521:XE}</connection-url>');
    expect(get(files, `overlays/${lib}`)).toBe('<server>\n  <properties.db2.jcc serverName="${SERVER_NAME}" portNumber="50000"/>\n  <authData id="a" user="u" password="${PASSWORD}"/>\n</server>\n');
    expect(get(files, 'overlays/liberty/configDropins/defaults/paasport-variables.xml')).toContain('<variable name="SERVER_NAME" defaultValue="db2.corp"/>');
    expect(files.some((f) => f.contents.includes('s3cret-Liberty'))).toBe(false);
  });

  it('a credential that cannot be located gets no overlay at all, and the plan says so', () => {
    const file = 'conf/app.properties';
    const files = generate(scanResult([finding({ file, line: 1, ruleId: 'x/secret', concern: 'local-credentials', captures: { key: 'db.pass' } })]), {
      ...opts,
      runtime: { language: 'java', container: 'jar' },
      files: [file],
      sources: { [file]: 'db.password.value = hidden-Secret-1\n' },
    });
    expect(get(files, `overlays/${file}`)).toBeUndefined();
    expect(get(files, 'MIGRATION.md')).toContain('no overlay written: the credential at line 1 could not be located safely');
    expect(files.some((f) => f.contents.includes('hidden-Secret-1'))).toBe(false);
  });

  it('names variables deterministically from keys, hosts and paths', () => {
    expect(toEnvName('spring.datasource.url')).toBe('SPRING_DATASOURCE_URL');
    expect(toEnvName('mongoUri')).toBe('MONGO_URI');
    expect(toEnvName('2fa.key')).toBe('V_2FA_KEY');
    const files = generate(
      scanResult([
        finding({ file: 'src/A.java', line: 3, ruleId: 'java/hardcoded-hostname', concern: 'host-bound-config', captures: { value: 'http://inventory.corp.local:8080/api' } }),
        finding({ file: 'src/B.java', line: 4, ruleId: 'java/hardcoded-hostname', concern: 'host-bound-config', captures: { value: 'http://inventory.corp.local:8080/api' } }),
        finding({ file: 'src/C.java', line: 5, ruleId: 'java/hardcoded-hostname', concern: 'host-bound-config', captures: { value: 'http://inventory.corp.local:9090/v2' } }),
        finding({ file: 'src/D.java', line: 6, ruleId: 'java/absolute-host-path', concern: 'host-bound-config', captures: { value: '/var/acme/exports', kind: 'path' } }),
        finding({ file: 'src/E.java', line: 7, ruleId: 'java/x', concern: 'host-bound-config', captures: { value: '../data/*.csv' } }),
      ]),
      { ...opts, runtime: { language: 'java', container: 'jar' }, files: [] },
    );
    const env = get(files, '.env.example')!;
    expect(env).toContain('INVENTORY_CORP_URL=http://inventory.corp.local:8080/api\n');
    expect(env).toContain('# replaces src/A.java:3, src/B.java:4\n');
    expect(env).toContain('INVENTORY_CORP_URL_2=http://inventory.corp.local:9090/v2\n');
    expect(env).toContain('ACME_EXPORTS_DIR=/var/acme/exports\n');
    expect(env).not.toContain('*.csv');
  });
});

describe('Node patches in an ES module', () => {
  it('imports the adapters instead of requiring them', () => {
    const file = 'src/server.mjs';
    const text = "import express from 'express';\nimport session from 'express-session';\nimport fs from 'node:fs';\n\nconst app = express();\napp.use(session({ secret: process.env.S }));\nexport async function save(p, d) {\n  await fs.promises.writeFile(p, d);\n}\n";
    const files = generate(
      scanResult([
        finding({ file, line: 6, ruleId: 'node/session-memory-store', concern: 'session-state' }),
        finding({ file, line: 8, ruleId: 'node/local-file-write', concern: 'local-storage' }),
      ]),
      { ...opts, runtime: { language: 'node' }, files: [file, 'package.json'], sources: { [file]: text }, patch: true },
    );
    const patch = get(files, 'patches/0002-rewire-call-sites.patch')!;
    expect(patch).toContain("+import { blobFs } from '../paasport/blob-store.js';");
    expect(patch).toContain("+import { sessionStore as paasportSessionStore } from '../paasport/session.js';");
    expect(patch).toContain('+app.use(session({ store: paasportSessionStore(), secret: process.env.S }));');
    expect(patch).toContain('+  await blobFs.promises.writeFile(p, d);');
    expect(patch).toMatch(/^@@ -1,\d+ \+1,\d+ @@$/m);
  });
});
