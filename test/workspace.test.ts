/** File discovery and decoding: what is read, what is passed over, and why. */
import { execFileSync } from 'node:child_process';
import { symlinkSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { decode, discover } from '../cli/workspace.js';
import { tempDir, writeTree } from './helpers.js';

const all = () => true;

describe('discover', () => {
  it('honours .gitignore files (root and nested), default excludes and test excludes', () => {
    const dir = tempDir();
    writeTree(dir, {
      '.gitignore': 'secret/\n*.bak\n',
      'src/main/App.java': 'x',
      'src/main/App.java.bak': 'x',
      'secret/creds.properties': 'x',
      'web/.gitignore': 'generated.js\n',
      'web/generated.js': 'x',
      'web/app.js': 'x',
      'node_modules/lib/index.js': 'x',
      'target/classes/x.properties': 'x',
      'src/test/java/AppTest.java': 'x',
      'web/app.spec.js': 'x',
      'public/jquery.min.js': 'x',
    });
    const found = discover(dir, { wants: all });
    expect(found.files).toEqual(['.gitignore', 'src/main/App.java', 'web/.gitignore', 'web/app.js']);
    const withTests = discover(dir, { wants: all, includeTests: true });
    expect(withTests.files).toContain('src/test/java/AppTest.java');
    expect(withTests.files).toContain('web/app.spec.js');
    const excluded = discover(dir, { wants: all, excludes: ['web/**'] });
    expect(excluded.files).not.toContain('web/app.js');
  });

  it("passes over a folder paasport generate wrote (its manifest marks it), saying so once", () => {
    const dir = tempDir();
    writeTree(dir, {
      'server.js': 'x',
      'paasport-out/.paasport-manifest.json': '{}',
      'paasport-out/paasport-shim/main.js': 'x',
      'paasport-out/adapters/node/storage.js': 'x',
      'paasport-outside/app.js': 'x',
    });
    const found = discover(dir, { wants: all });
    expect(found.files).toEqual(['paasport-outside/app.js', 'server.js']);
    expect(found.skipped).toEqual([{ file: 'paasport-out/', reason: expect.stringMatching(/paasport generate/) }]);
  });

  it('scans a file git tracks even when a .gitignore lists it (force-added templates hold credentials)', () => {
    const dir = tempDir();
    writeTree(dir, { '.gitignore': '.env\n.env.example\n', '.env.example': 'DB_PASSWORD=x\n', '.env': 'DB_PASSWORD=y\n', 'app.js': 'x' });
    const git = (...args: string[]) => execFileSync('git', ['-C', dir, '-c', 'user.email=t@example.org', '-c', 'user.name=t', ...args], { stdio: 'ignore' });
    git('init', '-q');
    git('add', 'app.js', '.gitignore');
    git('add', '-f', '.env.example');
    const found = discover(dir, { wants: all });
    expect(found.files).toContain('.env.example');
    expect(found.files).not.toContain('.env');
  });

  it('lists oversized files, symlink loops and links out of the root in skipped', () => {
    const dir = tempDir();
    const outside = tempDir();
    writeTree(outside, { 'secret.txt': 'outside' });
    writeTree(dir, { 'big.txt': 'x'.repeat(3000), 'ok.txt': 'fine', 'sub/a.txt': 'a' });
    symlinkSync(path.join(dir, 'loop-b'), path.join(dir, 'loop-a'));
    symlinkSync(path.join(dir, 'loop-a'), path.join(dir, 'loop-b'));
    symlinkSync(path.join(outside, 'secret.txt'), path.join(dir, 'escape.txt'));
    symlinkSync(dir, path.join(dir, 'sub', 'self'));
    const found = discover(dir, { wants: all, maxFileSize: 1024 });
    expect(found.files).toEqual(['ok.txt', 'sub/a.txt']);
    const reasons = Object.fromEntries(found.skipped.map((s) => [s.file, s.reason]));
    expect(reasons['big.txt']).toMatch(/too large/);
    expect(reasons['loop-a']).toBe('symlink loop');
    expect(reasons['escape.txt']).toMatch(/outside the scanned root/);
    expect(reasons['sub/self']).toMatch(/symlinked directory/);
  });
});

describe('decode', () => {
  it('reads UTF-8 and strips a BOM', () => {
    const r = decode('a.txt', new Uint8Array([0xef, 0xbb, 0xbf, 0x68, 0xc3, 0xa9]));
    expect(r).toEqual({ kind: 'text', text: 'hé' });
  });
  it('decodes invalid UTF-8 as Windows-1252 and says so', () => {
    const r = decode('a.properties', new Uint8Array([0x70, 0x77, 0x3d, 0x63, 0x61, 0x66, 0xe9, 0x80]));
    expect(r.kind).toBe('text');
    if (r.kind !== 'text') return;
    expect(r.text).toBe('pw=café€');
    expect(r.notice?.message).toMatch(/Windows-1252/);
  });
  it('skips binary content', () => {
    expect(decode('a.java', new Uint8Array([0xca, 0xfe, 0xba, 0xbe, 0, 0, 0, 0x34]))).toEqual({ kind: 'skipped', reason: 'binary file (contains NUL bytes)' });
  });
});
