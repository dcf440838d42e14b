/**
 * XML from a scanned repository is hostile input. These tests run the built CLI, as a user would, on
 * documents that try to read a local secret file (XXE, parameter entities, external DTDs), call out
 * to a URL, or expand entities exponentially (billion laughs), and assert that nothing named in a
 * document is ever opened or fetched and that the bombs end as error entries.
 */
import { createServer, type Server } from 'node:http';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, tempDir, writeTree } from '../helpers.js';

const MARKER = `PAASPORT-SECRET-${process.pid}-${Date.now().toString(36)}-d41d8cd98f`;

let secretDir: string;
let secretFile: string;
let server: Server;
let port = 0;
const requests: string[] = [];

beforeAll(async () => {
  secretDir = tempDir('paasport-secret-');
  secretFile = path.join(secretDir, 'secret.txt');
  writeFileSync(secretFile, `${MARKER}\n`);
  writeFileSync(path.join(secretDir, 'evil.dtd'), `<!ENTITY % all "<!ENTITY leak '${MARKER}'>">%all;`);
  server = createServer((req, res) => {
    requests.push(req.url ?? '');
    res.end(MARKER);
  });
  server.on('connection', () => requests.push('(connection)'));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as { port: number }).port;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});

const lol = (n: number) =>
  ['<!ENTITY lol "lol">', ...Array.from({ length: n }, (_, i) => `<!ENTITY lol${i + 1} "${`&lol${i === 0 ? '' : i};`.repeat(10)}">`)].join('\n  ');

function hostileTree(): Record<string, string> {
  const fileUrl = `file://${secretFile}`;
  return {
    'WEB-INF/web.xml': `<?xml version="1.0"?>\n<!DOCTYPE web-app [\n  <!ENTITY xxe SYSTEM "${fileUrl}">\n]>\n<web-app>\n  <display-name>&xxe;</display-name>\n  <env-entry><env-entry-value>jdbc:mysql://&xxe;:3306/x</env-entry-value></env-entry>\n</web-app>\n`,
    'param/web.xml': `<?xml version="1.0"?>\n<!DOCTYPE web-app [\n  <!ENTITY % ext SYSTEM "file://${path.join(secretDir, 'evil.dtd')}">\n  %ext;\n]>\n<web-app><display-name>&leak;</display-name></web-app>\n`,
    'http/web.xml': `<?xml version="1.0"?>\n<!DOCTYPE web-app SYSTEM "http://127.0.0.1:${port}/web-app.dtd">\n<web-app><display-name>&remote;</display-name></web-app>\n`,
    'http-entity/web.xml': `<?xml version="1.0"?>\n<!DOCTYPE web-app [ <!ENTITY r SYSTEM "http://127.0.0.1:${port}/entity"> ]>\n<web-app><display-name>&r;</display-name></web-app>\n`,
    'pom.xml': `<?xml version="1.0"?>\n<!DOCTYPE project [ <!ENTITY xxe SYSTEM "${fileUrl}"> ]>\n<project><dependencies><dependency><groupId>&xxe;</groupId><artifactId>weblogic</artifactId></dependency></dependencies><packaging>ear</packaging></project>\n`,
    'bomb/WEB-INF/web.xml': `<?xml version="1.0"?>\n<!DOCTYPE web-app [\n  ${lol(9)}\n]>\n<web-app><display-name>&lol9;</display-name></web-app>\n`,
  };
}

describe('hostile XML', () => {
  let root: string;
  beforeAll(() => {
    root = tempDir('paasport-hostile-');
    writeTree(root, hostileTree());
  });

  it('never leaks a local file named by an external entity into the JSON report', () => {
    const run = runCli(['scan', root, '--format', 'json']);
    expect(run.stderr).not.toContain(MARKER);
    expect(run.stdout).not.toContain(MARKER);
    const report = JSON.parse(run.stdout) as { errors: Array<{ file: string; message: string }>; findings: unknown[] };
    // the documents were read: every one that declares entities is listed as refused
    const refused = [...new Set(report.errors.filter((e) => /declares entities/.test(e.message)).map((e) => e.file))].sort();
    expect(refused).toEqual(['WEB-INF/web.xml', 'bomb/WEB-INF/web.xml', 'http-entity/web.xml', 'param/web.xml', 'pom.xml'].sort());
  });

  it('never leaks it into the text report either', () => {
    const run = runCli(['scan', root, '--format', 'text']);
    expect(run.stdout + run.stderr).not.toContain(MARKER);
    expect(run.stdout).toContain('web.xml');
  });

  it('never fetches a DTD or entity URL named in a document', async () => {
    runCli(['scan', root, '--format', 'json']);
    // spawnSync blocked this process; give any queued connection a chance to be accepted
    await new Promise((r) => setTimeout(r, 300));
    expect(requests).toEqual([]);
  });

  it('ends a billion-laughs document with an error entry instead of expanding it', () => {
    const bombOnly = tempDir('paasport-bomb-');
    writeTree(bombOnly, { 'WEB-INF/web.xml': hostileTree()['bomb/WEB-INF/web.xml']! });
    const run = runCli(['scan', bombOnly, '--format', 'json']);
    expect(run.code).not.toBe(-1);
    // 10^9 "lol"s would be gigabytes; the report (rule metadata included) stays well under a few MB
    expect(run.stdout.length).toBeLessThan(5_000_000);
    expect(run.stdout).not.toContain('lollollol');
    const report = JSON.parse(run.stdout) as { errors: Array<{ file: string; message: string; line?: number }> };
    expect(report.errors).toEqual([expect.objectContaining({ file: 'WEB-INF/web.xml', line: 3, message: expect.stringContaining('<!ENTITY') })]);
  });

  it('still applies line rules to a document it refused to parse', () => {
    const dir = tempDir('paasport-refused-');
    writeTree(dir, {
      'conf/context.xml': `<?xml version="1.0"?>\n<!DOCTYPE Context [ <!ENTITY x "y"> ]>\n<Context>\n  <Resource name="jdbc/db" url="jdbc:h2:file:/var/data/db"/>\n</Context>\n`,
    });
    const report = JSON.parse(runCli(['scan', dir, '--format', 'json']).stdout) as { findings: Array<{ file: string; line: number; ruleId: string }> };
    expect(report.findings.map((f) => `${f.file}:${f.line} ${f.ruleId}`)).toContain('conf/context.xml:4 config/xml-embedded-database');
  });
});
