/**
 * The Node sample through the built CLI: what is skipped and why, that messages are fully
 * interpolated, that no secret value leaves the scan, and that a broken file costs only itself.
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT, runCli, tempDir, writeTree } from '../../helpers.js';

describe('sample-legacy-node through the CLI', () => {
  const run = runCli(['scan', path.join(REPO_ROOT, 'fixtures', 'sample-legacy-node'), '--format', 'json']);
  const report = JSON.parse(run.stdout) as {
    findings: Array<{ ruleId: string; file: string; message: string; captures?: Record<string, string> }>;
    skipped: Array<{ file: string; reason: string }>;
    errors: Array<{ file: string; message: string }>;
  };

  it('lists minified bundles and vendored libraries in skipped, with the reason', () => {
    const skipped = Object.fromEntries(report.skipped.map((s) => [s.file, s.reason]));
    expect(skipped['public/js/shop.min.js']).toBe('minified bundle (file name)');
    expect(skipped['public/js/checkout.js']).toMatch(/^minified bundle \(lines up to \d+ characters\)$/);
    expect(skipped['public/js/vendor/jquery-1.7.2.js']).toBe('vendored front-end library (vendor/ directory)');
  });

  it('interpolates every message and never captures a secret value', () => {
    for (const f of report.findings) expect(f.message).not.toMatch(/\{\{/);
    const secret = report.findings.find((f) => f.ruleId === 'node/hardcoded-secret');
    expect(secret?.captures).toEqual({ key: 'sessionSecret' });
    expect(JSON.stringify(report.findings.map((f) => [f.message, f.captures]))).not.toContain('corner-shop-s3cret-2014');
  });

  it('lists the unparsable file in errors and still reports it', () => {
    // one missing ')': one error, not the parser's follow-on errors from reading the body as parameters
    expect(report.errors.filter((e) => e.file === 'scripts/broken-migration.js').map((e) => e.message)).toEqual(["syntax error (analyzed as far as the parser recovered): ',' expected."]);
    expect(report.findings.some((f) => f.file === 'scripts/broken-migration.js')).toBe(true);
  });
});

describe('front-end detection in discovery', () => {
  it('skips a vendored library by its banner and by its name, but analyzes the app code next to it', () => {
    const root = tempDir();
    writeTree(root, {
      'static/lib/widget.js': '/*! Widget v2.3.1 | (c) ACME | MIT License */\nsetInterval(function () {}, 1);\n',
      'public/javascripts/backbone-0.9.2.js': 'var Backbone = {};\n',
      'server.js': "const fs = require('fs');\nfs.writeFileSync('data/x.json', '{}');\n",
      // the app's own browser code with a generic name, and a PHP dependency under vendor/: not listed
      'public/js/chart.js': 'drawChart();\n',
      'vendor/acme/widget/dist/widget.js': 'var w = 1;\n',
    });
    const r = runCli(['scan', root, '--format', 'json']);
    const report = JSON.parse(r.stdout) as { skipped: Array<{ file: string; reason: string }>; findings: Array<{ file: string }> };
    expect(report.skipped).toEqual([
      { file: 'public/javascripts/backbone-0.9.2.js', reason: 'vendored front-end library (file name)' },
      { file: 'static/lib/widget.js', reason: 'vendored front-end library (license banner)' },
    ]);
    expect(report.findings.map((f) => f.file)).toContain('server.js');
  });
});
