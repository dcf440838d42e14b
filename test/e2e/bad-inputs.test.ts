/**
 * One CLI scan over a tree of bad inputs next to good files: an unparsable .java, a binary file
 * named .java, a Windows-1252 .java, an empty .java, a 5 MB .java, a symlink loop and a symlink out
 * of the root. The scan must complete (exit 0), analyze every good file, and account for each bad
 * one in `errors`, `skipped` or `notices` with a reason. The inputs are made here, at run time,
 * because git cannot hold a symlink loop or a meaningful 5 MB fixture.
 */
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ScanResult } from '../../core/index.js';
import { runCli, tempDir, writeTree } from '../helpers.js';

const GOOD_EXEC = `package com.acme.tools;

public class Zipper {
    public Process zip(String dir) throws java.io.IOException {
        return new ProcessBuilder("zip", "-r", "out.zip", dir).start();
    }
}
`;

const GOOD_SESSION = `package com.acme.web;

import javax.servlet.http.HttpServletRequest;

public class Login {
    void remember(HttpServletRequest req, String uid) {
        req.getSession().setAttribute("uid", uid);
    }
}
`;

// A merge conflict left in the file: a syntax error, and both exec calls are still found.
const UNPARSABLE = `package com.acme.tools;

public class Conflicted {
    void run() throws Exception {
<<<<<<< HEAD
        Runtime.getRuntime().exec("backup.sh");
=======
        Runtime.getRuntime().exec("backup2.sh");
>>>>>>> feature
    }
}
`;

// Windows-1252: "Größe" and a curly quote in a comment, "Kündigung" in a path literal.
const CP1252 = Buffer.concat([
  Buffer.from('package com.acme.legacy;\n\n// Gr', 'latin1'),
  Buffer.from([0xf6, 0xdf]),
  Buffer.from('e der Datei ', 'latin1'),
  Buffer.from([0x93]),
  Buffer.from('alt', 'latin1'),
  Buffer.from([0x94]),
  Buffer.from('\npublic class Archiv {\n    void save(byte[] b) throws Exception {\n        new java.io.FileOutputStream("C:\\\\Archiv\\\\K', 'latin1'),
  Buffer.from([0xfc]),
  Buffer.from('ndigung.dat").write(b);\n    }\n}\n', 'latin1'),
]);

let result: ScanResult;
let code: number;
let stderr: string;

beforeAll(() => {
  const root = tempDir('paasport-bad-inputs-');
  const outside = tempDir('paasport-outside-');
  writeFileSync(path.join(outside, 'Secret.java'), GOOD_EXEC.replace('Zipper', 'Secret'));
  const big = `package com.acme.big;\n\npublic class Huge {\n${'    // generated padding line for the size cap test ......................\n'.repeat(70_000)}}\n`;
  writeTree(root, {
    'src/main/java/com/acme/tools/Zipper.java': GOOD_EXEC,
    'src/main/java/com/acme/web/Login.java': GOOD_SESSION,
    'src/main/java/com/acme/tools/Conflicted.java': UNPARSABLE,
    'src/main/java/com/acme/legacy/Archiv.java': CP1252,
    'src/main/java/com/acme/Empty.java': '',
    'src/main/java/com/acme/big/Huge.java': big,
    'src/main/java/com/acme/Blob.java': Buffer.from([0xca, 0xfe, 0xba, 0xbe, 0x00, 0x00, 0x00, 0x34, 0x00, 0x1d, 0x0a, 0x00]),
  });
  mkdirSync(path.join(root, 'links'));
  symlinkSync('Loop2.java', path.join(root, 'links', 'Loop1.java'));
  symlinkSync('Loop1.java', path.join(root, 'links', 'Loop2.java'));
  symlinkSync(path.join(outside, 'Secret.java'), path.join(root, 'links', 'Outside.java'));
  const r = runCli(['scan', root, '--format', 'json', '--no-config']);
  code = r.code;
  stderr = r.stderr;
  result = JSON.parse(r.stdout) as ScanResult;
});

const where = (list: Array<{ file: string }>, file: string) => list.filter((e) => e.file === file);

describe('one scan over bad inputs', () => {
  it('completes with exit 0 and no stack trace', () => {
    expect(code, stderr).toBe(0);
    expect(stderr).not.toMatch(/\n\s+at .+:\d+:\d+/);
  });

  it('analyzes every good file', () => {
    const found = result.findings.map((f) => `${f.file}:${f.line} ${f.ruleId}`);
    expect(found).toContain('src/main/java/com/acme/tools/Zipper.java:5 java/process-exec');
    expect(found).toContain('src/main/java/com/acme/web/Login.java:7 java/http-session-attribute');
  });

  it('lists the unparsable file in errors with the parser reason and line, and still reports its blockers', () => {
    const errs = where(result.errors, 'src/main/java/com/acme/tools/Conflicted.java');
    expect(errs).toHaveLength(1);
    expect(errs[0]!.message).toMatch(/Java parse error/);
    expect(errs[0]!.line).toBe(5);
    const lines = result.findings.filter((f) => f.file === 'src/main/java/com/acme/tools/Conflicted.java').map((f) => `${f.line} ${f.ruleId}`);
    expect(lines).toEqual(['6 java/process-exec', '8 java/process-exec']);
  });

  it('decodes the Windows-1252 file, notes it, and reports its finding with the right text', () => {
    expect(where(result.notices, 'src/main/java/com/acme/legacy/Archiv.java')[0]!.message).toMatch(/Windows-1252/);
    const f = result.findings.find((x) => x.file === 'src/main/java/com/acme/legacy/Archiv.java' && x.ruleId === 'java/local-file-write');
    expect(f).toBeDefined();
    expect(f!.line).toBe(6);
    expect(f!.snippet).toContain('Kündigung.dat');
    expect(where(result.errors, 'src/main/java/com/acme/legacy/Archiv.java')).toEqual([]);
  });

  it('skips the binary and the oversized file with their reasons', () => {
    expect(where(result.skipped, 'src/main/java/com/acme/Blob.java')[0]!.reason).toMatch(/binary/);
    expect(where(result.skipped, 'src/main/java/com/acme/big/Huge.java')[0]!.reason).toMatch(/too large: 5\.\d MB/);
  });

  it('skips the symlink loop and never follows the link out of the root', () => {
    expect(where(result.skipped, 'links/Loop1.java')[0]!.reason).toMatch(/symlink loop/);
    expect(where(result.skipped, 'links/Loop2.java')[0]!.reason).toMatch(/symlink loop/);
    expect(where(result.skipped, 'links/Outside.java')[0]!.reason).toMatch(/outside the scanned root/);
    expect(result.findings.filter((f) => f.file.startsWith('links/'))).toEqual([]);
  });

  it('lists the empty file in skipped, with no error and no finding', () => {
    expect(where(result.errors, 'src/main/java/com/acme/Empty.java')).toEqual([]);
    expect(where(result.skipped, 'src/main/java/com/acme/Empty.java')[0]!.reason).toMatch(/empty file/);
    expect(result.findings.filter((f) => f.file === 'src/main/java/com/acme/Empty.java')).toEqual([]);
    // Zipper, Login, Conflicted and Archiv were read and analyzed; nothing else was.
    expect(result.summary.files).toBe(4);
  });
});
