/**
 * The HTML report in a real browser (Debian's chromium, driven by playwright-core): it renders
 * without console errors, shows the score and every concern card, filters, and does not run a
 * script smuggled in through scanned code. Writes screenshots to test-artifacts/ (git-ignored).
 * Also opens a synthetic 5,000-finding report and prints how long opening and filtering take
 * (a figure for the notes, not an assertion: speed belongs in `npm run bench`).
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCatalog } from '../../cli/catalog.js';
import { runScan } from '../../cli/scan.js';
import { CONCERNS, summarize, toRuleMeta, type Finding, type ScanResult } from '../../core/index.js';
import { renderHtml } from '../../reports/index.js';
import { REPO_ROOT } from '../helpers.js';
import { FIXTURE_APP, FIXTURE_RULES, htmlTemplates, INJECTION, rule, syntheticResult, type SyntheticHit } from '../reports/synthetic.js';

const CHROMIUM = '/usr/bin/chromium';
const ARTIFACTS = path.join(REPO_ROOT, 'test-artifacts');
const SAMPLE = path.join(REPO_ROOT, 'fixtures', 'sample-legacy-javaee');

/** The sample app's real scan, plus one hostile finding so the escaping is always exercised. */
async function sampleResult(): Promise<ScanResult> {
  const useSample = existsSync(SAMPLE);
  const { rules } = useSample ? loadCatalog() : loadCatalog({ extra: [FIXTURE_RULES], builtin: false });
  const result = await runScan(useSample ? SAMPLE : FIXTURE_APP, { rules });
  const hostile = rule('test/injected', 'process-exec', 'potential', 3, {
    message: `Runtime.exec of ${INJECTION}`,
    remediation: `Never <script>window.__pwned=3</script> and [click](javascript:window.__pwned=4).`,
  });
  const injected: Finding = {
    id: 'f'.repeat(20),
    ruleId: hostile.id,
    concern: hostile.concern,
    severity: hostile.severity,
    effort: hostile.effort,
    file: `src/${INJECTION}.java`,
    line: 2,
    column: 1,
    endLine: 2,
    message: hostile.message,
    snippet: `String s = "${INJECTION}";`,
    remediation: hostile.remediation,
    context: { startLine: 1, lines: ['class X {', `String s = "${INJECTION}";`, '}'] },
  };
  const findings = [...result.findings, injected];
  return { ...result, findings, rules: [...result.rules, toRuleMeta(hostile)], summary: summarize(findings, result.summary.files) };
}

function bigResult(n: number): ScanResult {
  const rules = Array.from({ length: 30 }, (_, i) => rule(`synthetic/rule-${i}`, CONCERNS[i % 13]!, (['mandatory', 'potential', 'optional'] as const)[i % 3]!, ([1, 3, 5, 8, 13] as const)[i % 5]!));
  const files: Record<string, string> = {};
  const hits: SyntheticHit[] = [];
  const perFile = 10;
  for (let f = 0; f < n / perFile; f++) {
    const name = `src/main/java/com/acme/module${f % 25}/Service${f}.java`;
    files[name] = Array.from({ length: perFile * 4 + 6 }, (_, l) => `    callSomething(${l}, "value-${f}-${l}"); // line ${l + 1}`).join('\n');
    for (let k = 0; k < perFile; k++) hits.push({ rule: rules[(f + k) % rules.length]!, file: name, line: 3 + k * 4, value: `v${k}` });
  }
  return syntheticResult(files, hits);
}

let browser: Browser;
const hasChromium = existsSync(CHROMIUM);

async function open(html: string, name: string): Promise<{ page: Page; errors: string[]; file: string }> {
  mkdirSync(ARTIFACTS, { recursive: true });
  const file = path.join(ARTIFACTS, `${name}.html`);
  writeFileSync(file, html);
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const errors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') errors.push(`${m.type()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });
  return { page, errors, file };
}

// Generous per-test limits (below): a browser on a loaded, shared CI machine is slow; no timing is asserted.
describe.runIf(hasChromium)('HTML report in Chromium', () => {
  beforeAll(async () => {
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    });
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('sample app: no console errors, score and cards visible, filters work, injected script inert', async () => {
    const result = await sampleResult();
    const { page, errors } = await open(renderHtml(result, { templates: htmlTemplates() }), 'sample-report');
    try {
      await expect.poll(() => page.locator('#shown-count').textContent()).toMatch(/of \d+ shown/);
      expect(errors).toEqual([]);

      // score and grade
      await expect(page.locator('[data-testid=score]').isVisible()).resolves.toBe(true);
      expect((await page.locator('[data-testid=score]').textContent())?.trim()).toBe(String(result.summary.score));
      expect((await page.locator('#grade').textContent())?.trim()).toBe(result.summary.grade);

      // one visible card per concern with findings
      const concerns = result.summary.concerns!.map((c) => c.concern);
      expect(concerns.length).toBeGreaterThan(0);
      expect(await page.locator('.concern-card').count()).toBe(concerns.length);
      for (const c of concerns) expect(await page.locator(`.concern-card[data-concern="${c}"]`).isVisible()).toBe(true);

      // the injected markup stayed text: no script ran, no element was created from it
      expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
      expect(await page.locator('img[src=x]').count()).toBe(0);
      expect(await page.locator('script:not([type])').count()).toBe(1);
      expect(await page.locator('a[href^="javascript:"]').count()).toBe(0);
      const injected = page.locator(`.finding[id="f-${'f'.repeat(20)}"]`);
      await injected.locator('.summary').click();
      expect(await injected.locator('.ln.hl').textContent()).toContain('</script><script>window.__pwned=1</script>');
      expect(await injected.locator('.remedy').textContent()).toContain('<script>window.__pwned=3</script>');

      // severity filter: a click hides every row of another severity
      const rows = page.locator('#findings .finding');
      const total = await rows.count();
      expect(total).toBe(result.findings.length);
      const severities = [...new Set(result.findings.map((f) => f.severity))];
      expect(severities.length).toBeGreaterThan(1);
      const pick = severities[0]!;
      await page.locator(`.sev-filter .chip[data-severity="${pick}"]`).click();
      const expected = result.findings.filter((f) => f.severity === pick).length;
      expect(await page.locator('#findings .finding:visible').count()).toBe(expected);
      expect(await page.locator(`#findings .finding:not([data-severity="${pick}"]):visible`).count()).toBe(0);
      expect(await page.locator('#shown-count').textContent()).toBe(`${expected} of ${total} shown`);
      await page.locator('.sev-filter .chip[data-severity=""]').click();
      expect(await page.locator('#findings .finding:visible').count()).toBe(total);

      // concern card click filters by concern, a second click clears it
      const firstConcern = concerns[0]!;
      await page.locator(`.concern-card[data-concern="${firstConcern}"]`).click();
      expect(await page.locator('#findings .finding:visible').count()).toBe(result.findings.filter((f) => f.concern === firstConcern).length);
      expect(await page.locator('#filter-concern').inputValue()).toBe(firstConcern);
      await page.locator(`.concern-card[data-concern="${firstConcern}"]`).click();

      // free text filter, and file groups with no visible row disappear
      await page.locator('#filter-text').fill('__pwned');
      await expect.poll(() => page.locator('#findings .finding:visible').count()).toBe(1);
      expect(await page.locator('#findings .file-group:visible').count()).toBe(1);
      await page.locator('#filter-text').fill('');
      await expect.poll(() => page.locator('#findings .finding:visible').count()).toBe(total);

      // screenshots: the overview, and a finding opened
      await page.evaluate(() => window.scrollTo(0, 0));
      await page.screenshot({ path: path.join(ARTIFACTS, 'report-sample.png'), fullPage: false });
      await page.locator('#findings .finding').first().locator('.summary').click();
      await page.evaluate(() => document.getElementById('findings-h')!.scrollIntoView());
      await page.screenshot({ path: path.join(ARTIFACTS, 'report-sample-findings.png'), fullPage: false });
      await page.screenshot({ path: path.join(ARTIFACTS, 'report-sample-full.png'), fullPage: true });
      // print layout renders too (and opens every finding on beforeprint)
      await page.emulateMedia({ media: 'print' });
      await page.pdf({ path: path.join(ARTIFACTS, 'report-sample.pdf') });
      expect(errors).toEqual([]);
    } finally {
      await page.close();
    }
  }, 240_000);

  it('5,000 findings: opens and filters (timings printed, not asserted)', async () => {
    const result = bigResult(5000);
    expect(result.findings).toHaveLength(5000);
    const html = renderHtml(result, { templates: htmlTemplates() });
    const t0 = performance.now();
    const { page, errors } = await open(html, 'big-report');
    const openMs = performance.now() - t0;
    try {
      const clickMs = await page.evaluate(() => {
        const t = performance.now();
        (document.querySelector('.sev-filter .chip[data-severity="mandatory"]') as HTMLElement).click();
        void document.body.offsetHeight; // include style and layout
        return performance.now() - t;
      });
      const mandatory = result.findings.filter((f) => f.severity === 'mandatory').length;
      expect(await page.locator('#shown-count').textContent()).toBe(`${mandatory} of 5000 shown`);
      // Typing: measured from the input event to the updated count plus layout (includes the 80 ms debounce).
      const textMs = await page.evaluate(
        () =>
          new Promise<number>((resolve) => {
            const shown = document.getElementById('shown-count')!;
            const input = document.getElementById('filter-text') as HTMLInputElement;
            const t = performance.now();
            const obs = new MutationObserver(() => {
              obs.disconnect();
              void document.body.offsetHeight;
              resolve(performance.now() - t);
            });
            obs.observe(shown, { childList: true, characterData: true, subtree: true });
            input.value = 'service17.java';
            input.dispatchEvent(new Event('input'));
          }),
      );
      const shown = await page.locator('#findings .finding:visible').count();
      expect(shown).toBeGreaterThan(0);
      expect(shown).toBeLessThan(mandatory);
      await page.screenshot({ path: path.join(ARTIFACTS, 'report-5000.png') });
      const bytes = Buffer.byteLength(html);
      console.log(`[paasport] 5,000-finding HTML report: ${(bytes / 1024 / 1024).toFixed(1)} MB, open (file:// load) ${openMs.toFixed(0)} ms, severity filter click + layout ${clickMs.toFixed(0)} ms, text filter (incl. 80 ms debounce) ${textMs.toFixed(0)} ms`);
      expect(errors).toEqual([]);
    } finally {
      await page.close();
    }
  }, 240_000);
});

describe.runIf(!hasChromium)('HTML report in Chromium', () => {
  it('needs /usr/bin/chromium (.ci/run installs it)', () => {
    throw new Error(`${CHROMIUM} is missing: install Debian's chromium package (.ci/run does)`);
  });
});
