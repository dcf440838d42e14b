/**
 * Code written the unusual-but-legal ways that sharp tokens must still let through (docs/rules-tokens.md):
 * an on-demand import, an interface constant, a static import, a call chain broken before the dot,
 * text blocks, upper-case names of case-insensitive patterns, IPv6 literals opening with a letter,
 * renamed and `node:`-prefixed Node imports, and a project rule whose only evidence is a file that
 * neither listens nor imports a framework. Each must be found, and found the same without the prefilter.
 */
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCatalog } from '../../cli/catalog.js';
import { runScan } from '../../cli/scan.js';

const FILES: Record<string, string> = {
  'src/main/java/e/Writer1.java': 'package e;\nimport java.io.*;\nclass Writer1 { void f() throws Exception { new FileOutputStream("out/report.txt"); } }\n',
  'src/main/java/e/Registry.java': 'package e;\nimport java.util.*;\ninterface Registry {\n    Map<String, Object> CACHE = new HashMap<>();\n    default void remember(String k, Object v) { CACHE.put(k, v); }\n}\n',
  'src/main/java/e/Native1.java': 'package e;\nimport static java.lang.System.*;\nclass Native1 { void init() { loadLibrary("acme"); } }\n',
  'src/main/java/e/Exec1.java': 'package e;\nclass Exec1 {\n    void f() throws Exception {\n        Runtime.getRuntime()\n            .exec("ls");\n    }\n}\n',
  'src/main/java/e/Block1.java': 'package e;\nclass Block1 {\n    String peer = """\n10.1.2.3""";\n    String url = """\nhttp://billing.internal/api""";\n}\n',
  'src/main/java/e/Secrets1.java': [
    'package e;',
    'class Secrets1 {',
    '    static final String DB_PASSWORD = "s3cr3tValue";',
    '    String SMTP_RELAY = "mail.corp.local";',
    '    String peer6 = "abcd:ef01:2345:6789:abcd:ef01:2345:6789";',
    '    String peer7 = "fe80::1";',
    '    String root = "C:\\\\acme\\\\data";',
    '}',
    '',
  ].join('\n'),
  'lib/store.js': "const { writeFileSync: save } = require('node:fs');\nsave('data/x.json', '{}');\n",
  'lib/store2.mjs': 'import fs from "fs/promises";\nexport async function w(x) { await fs.writeFile(\'data/a.txt\', x); }\n',
  'lib/server.js': "const express = require('express');\nconst app = express();\napp.set('PORT', 3000);\napp.listen(3000);\n",
  // the app's only health route: without this file, node/no-health-route would report the server
  'lib/health.js': "module.exports = (router) => router.get('/HEALTHZ', (req, res) => res.end('ok'));\n",
};

const EXPECTED = [
  'src/main/java/e/Writer1.java java/local-file-write',
  'src/main/java/e/Registry.java java/static-map-cache',
  'src/main/java/e/Native1.java java/native-library-load',
  'src/main/java/e/Exec1.java java/process-exec',
  'src/main/java/e/Block1.java java/hardcoded-ip-address',
  'src/main/java/e/Block1.java java/hardcoded-service-url',
  'src/main/java/e/Secrets1.java java/hardcoded-credential',
  'src/main/java/e/Secrets1.java java/hardcoded-hostname',
  'src/main/java/e/Secrets1.java java/absolute-host-path',
  'lib/store.js node/local-file-write',
  'lib/store2.mjs node/local-file-write',
  'lib/server.js node/port-setting-literal',
];

let root: string;

beforeAll(() => {
  root = mkdtempSync(path.join(os.tmpdir(), 'paasport-prefilter-edge-'));
  for (const [file, text] of Object.entries(FILES)) {
    mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    writeFileSync(path.join(root, file), text);
  }
});

afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('sharp tokens on code written the unusual ways', () => {
  it('find the same with and without the prefilter, and find each case', async () => {
    const list = async (noPrefilter: boolean) => (await runScan(root, { rules: loadCatalog().rules, noPrefilter })).findings.map((f) => `${f.file}:${f.line} ${f.ruleId}`).sort();
    const filtered = await list(false);
    expect(filtered).toEqual(await list(true));
    const found = new Set(filtered.map((f) => f.replace(/:\d+ /, ' ')));
    for (const e of EXPECTED) expect(found.has(e), e).toBe(true);
    // both IPv6 forms, each on its own line
    expect(filtered.filter((f) => f.startsWith('src/main/java/e/Secrets1.java') && f.endsWith('java/hardcoded-ip-address'))).toHaveLength(2);
    expect(filtered.some((f) => f.endsWith('node/no-health-route'))).toBe(false);
  });
});
