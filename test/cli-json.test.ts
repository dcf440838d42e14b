/**
 * The JSON report a user gets from the CLI validates against the published schema
 * (reports/schema/report.schema.json), for a real scan of the Java EE sample with findings, notices
 * and errors in it — and a report that breaks the contract is rejected, so the check can fail.
 */
import { Ajv } from 'ajv';
import addFormats from 'ajv-formats';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT, runCli, tempDir, writeTree } from './helpers.js';

const schema = JSON.parse(readFileSync(path.join(REPO_ROOT, 'reports', 'schema', 'report.schema.json'), 'utf8'));
const ajv = new Ajv({ allErrors: true, strict: false });
addFormats.default(ajv);
const validate = ajv.compile(schema);

describe('paasport scan --format json', () => {
  let sample: { code: number; stdout: string; stderr: string };
  beforeAll(() => {
    sample = runCli(['scan', path.join(REPO_ROOT, 'fixtures', 'sample-legacy-javaee'), '--format', 'json', '--no-config']);
  });

  it('the Java EE sample report is valid against report.schema.json', () => {
    expect(sample.code, sample.stderr).toBe(0);
    const report = JSON.parse(sample.stdout);
    const ok = validate(report);
    expect(validate.errors ?? []).toEqual([]);
    expect(ok).toBe(true);
    const java = report.findings.filter((f: { file: string }) => f.file.endsWith('.java'));
    expect(java.length).toBeGreaterThan(50);
    expect(report.rules.some((r: { id: string }) => r.id === 'java/local-file-write')).toBe(true);
  });

  it('a report with errors, skipped files and notices is valid too', () => {
    const root = tempDir();
    writeTree(root, {
      // (it names ProcessBuilder so the prefilter hands it to the parser at all)
      'src/Broken.java': 'class Broken { void m( { new ProcessBuilder("ls"); }',
      'src/Bin.java': Buffer.from([0, 1, 2, 3]),
      'src/Legacy.java': Buffer.from('class Legacy { String s = "caf\xe9"; }', 'latin1'),
    });
    const r = runCli(['scan', root, '--format', 'json', '--no-config']);
    expect(r.code, r.stderr).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(report.errors.length).toBeGreaterThan(0);
    expect(report.skipped.length).toBeGreaterThan(0);
    expect(report.notices.length).toBeGreaterThan(0);
    expect(validate(report)).toBe(true);
  });

  it('the schema rejects a report that breaks the contract', () => {
    const report = JSON.parse(sample.stdout);
    delete report.findings[0].line;
    report.findings[1].severity = 'blocker';
    expect(validate(report)).toBe(false);
    expect((validate.errors ?? []).map((e) => e.instancePath)).toEqual(expect.arrayContaining(['/findings/0', '/findings/1/severity']));
  });
});
