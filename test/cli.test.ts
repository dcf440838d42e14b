/** The CLI contract as a user meets it: exit codes, one-line errors, machine output on stdout. */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { REPO_ROOT, runCli, tempDir, writeTree } from './helpers.js';

describe('paasport CLI', () => {
  it('--version prints the package version', () => {
    const r = runCli(['--version']);
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toBe(JSON.parse(readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')).version);
  });

  it('--help shows the commands and examples', () => {
    const r = runCli(['--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/scan \[options\] <path>/);
    expect(r.stdout).toContain('Examples:');
    expect(r.stdout).toContain('Exit codes');
  });

  it('a missing path exits 2 with one line on stderr and no stack trace', () => {
    const r = runCli(['scan', '/definitely/not/here']);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain('path not found');
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('a file instead of a folder exits 2', () => {
    const r = runCli(['scan', path.join(REPO_ROOT, 'package.json')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('not a directory');
  });

  it('an unknown option and an unknown format are usage errors (exit 2)', () => {
    expect(runCli(['scan', '.', '--frobnicate']).code).toBe(2);
    expect(runCli(['scan', '.', '--format', 'pdf']).code).toBe(2);
  });

  it('a --rules path that does not exist exits 2 with the path named', () => {
    const r = runCli(['scan', REPO_ROOT, '--rules', '/no/such/rules']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('/no/such/rules');
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('--output writes the report to a file and nothing to stdout', () => {
    const dir = tempDir();
    writeTree(dir, { 'app/readme.txt': 'nothing here\n' });
    const out = path.join(dir, 'out', 'report.json');
    const r = runCli(['scan', path.join(dir, 'app'), '--format', 'json', '--output', out]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('');
    const report = JSON.parse(readFileSync(out, 'utf8'));
    expect(report.schemaVersion).toBe(1);
    expect(report.tool.name).toBe('paasport');
  });

  it('rules list prints every rule of a concern and nothing else', () => {
    const all = runCli(['rules', 'list', '--json']);
    expect(all.code).toBe(0);
    const rules = JSON.parse(all.stdout) as Array<{ id: string; concern: string }>;
    const r = runCli(['rules', 'list', '--concern', 'session-state', '--json']);
    const some = JSON.parse(r.stdout) as Array<{ id: string; concern: string }>;
    expect(some.every((x) => x.concern === 'session-state')).toBe(true);
    expect(some.length).toBe(rules.filter((x) => x.concern === 'session-state').length);
    expect(runCli(['rules', 'list', '--concern', 'no-such-concern']).code).toBe(2);
  });
});
