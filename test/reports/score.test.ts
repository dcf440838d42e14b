/** The score model (docs/scoring.md), including the document's worked example recomputed from the doc itself. */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { computeScore, summarize, type Concern, type Effort, type Finding, type Severity } from '../../core/index.js';
import { REPO_ROOT } from '../helpers.js';

let seq = 0;
function finding(ruleId: string, severity: Severity, effort: Effort, concern: Concern = 'local-storage', extra: Partial<Finding> = {}): Finding {
  seq += 1;
  return { id: String(seq).padStart(20, '0'), ruleId, concern, severity, effort, file: `f${seq}.java`, line: 1, column: 1, endLine: 1, message: 'm', snippet: 's', remediation: 'r', ...extra };
}
const times = (n: number, make: () => Finding) => Array.from({ length: n }, make);

describe('docs/scoring.md worked example', () => {
  const doc = readFileSync(path.join(REPO_ROOT, 'docs', 'scoring.md'), 'utf8');
  const block = /<!-- worked-example -->\s*```json\n([\s\S]*?)```/.exec(doc);
  it('the document carries the example as data', () => {
    expect(block).not.toBeNull();
  });
  const example = JSON.parse(block![1]!) as {
    files: number;
    daysPerPoint: number;
    rules: Array<{ id: string; concern: Concern; severity: Severity; effort: Effort; hits: number; suppressed?: number }>;
    expected: { penalty: number; score: number; grade: string; points: number; days: number };
  };
  it('recomputes to the documented numbers', () => {
    const findings = example.rules.flatMap((r) => [
      ...times(r.hits, () => finding(r.id, r.severity, r.effort, r.concern)),
      ...times(r.suppressed ?? 0, () => finding(r.id, r.severity, r.effort, r.concern, { suppressed: { kind: 'inline', reason: 'ok' } })),
    ]);
    const s = computeScore(findings, example.files, { daysPerPoint: example.daysPerPoint });
    expect(s.penalty).toBe(example.expected.penalty);
    expect(s.score).toBe(example.expected.score);
    expect(s.grade).toBe(example.expected.grade);
    expect(s.effort).toEqual({ points: example.expected.points, days: example.expected.days, daysPerPoint: example.daysPerPoint });
    // the prose quotes the numbers too
    expect(doc).toContain(`**${example.expected.score}**`);
    expect(doc).toContain(`**${example.expected.days} person-days**`);
    // per-concern sums add up to the totals
    expect(s.concerns.reduce((a, c) => a + c.points, 0)).toBeCloseTo(example.expected.points, 5);
    expect(s.concerns.map((c) => c.concern)).toEqual(['local-storage', 'host-bound-config', 'session-state', 'app-server-api']);
  });
});

describe('score model', () => {
  it('nothing found in analyzed files is 100 and A', () => {
    expect(computeScore([], 12)).toMatchObject({ score: 100, grade: 'A', effort: { points: 0, days: 0 } });
  });

  it('no analyzed file is insufficient data, not a perfect score', () => {
    const s = computeScore([], 0);
    expect(s.score).toBeNull();
    expect(s.grade).toBe('N/A');
  });

  it('repeated hits of one rule weigh √n (diminishing), different rules add up', () => {
    const one = computeScore([finding('r/a', 'potential', 5)], 10);
    const four = computeScore(times(4, () => finding('r/a', 'potential', 5)), 10);
    const fourRules = computeScore([1, 2, 3, 4].map((i) => finding(`r/${i}`, 'potential', 5)), 10);
    expect(four.penalty).toBeCloseTo(one.penalty * 2, 5);
    expect(fourRules.penalty).toBeCloseTo(one.penalty * 4, 5);
    expect(four.score!).toBeLessThan(one.score!);
    expect(four.score!).toBeGreaterThan(fourRules.score!);
  });

  it('severity and effort both raise the penalty', () => {
    const sev = (s: Severity) => computeScore([finding('r/a', s, 5)], 1).penalty;
    expect(sev('mandatory')).toBeGreaterThan(sev('potential'));
    expect(sev('potential')).toBeGreaterThan(sev('optional'));
    expect(computeScore([finding('r/a', 'optional', 13)], 1).penalty).toBeGreaterThan(computeScore([finding('r/a', 'optional', 1)], 1).penalty);
  });

  it('a mandatory finding caps the grade at C, and says so', () => {
    const s = computeScore([finding('r/a', 'mandatory', 1)], 5);
    expect(s.score).toBe(99);
    expect(s.grade).toBe('C');
    expect(s.gradeCap).toMatch(/1 mandatory finding/);
    const noCap = computeScore([finding('r/a', 'potential', 1)], 5);
    expect(noCap.grade).toBe('A');
    expect(noCap.gradeCap).toBeUndefined();
  });

  it('a low score keeps its own grade (the cap only lowers)', () => {
    const s = computeScore(Array.from({ length: 20 }, (_, i) => times(4, () => finding(`r/${i}`, 'mandatory', 13))).flat(), 5);
    expect(s.score).toBeLessThan(30);
    expect(s.grade).toBe('F');
    expect(s.gradeCap).toBeUndefined();
  });

  it('suppressed findings do not count', () => {
    const f = [finding('r/a', 'mandatory', 8, 'local-storage', { suppressed: { kind: 'inline', reason: 'why' } })];
    expect(computeScore(f, 3)).toMatchObject({ score: 100, grade: 'A' });
    expect(summarize(f, 3)).toMatchObject({ findings: 0, suppressed: 1, score: 100 });
  });

  it('days follow daysPerPoint; a bad value is rejected', () => {
    const f = [finding('r/a', 'potential', 8)];
    expect(computeScore(f, 1, { daysPerPoint: 2 }).effort).toEqual({ points: 8, days: 16, daysPerPoint: 2 });
    expect(() => computeScore(f, 1, { daysPerPoint: -1 })).toThrow(RangeError);
  });

  it('summarize puts score, grade, effort and the concern breakdown in every summary', () => {
    const s = summarize([finding('r/a', 'potential', 3, 'session-state'), finding('r/b', 'optional', 1, 'file-logging')], 2);
    expect(typeof s.score).toBe('number');
    expect(s.grade).toMatch(/^[A-F]$/);
    expect(s.effort).toMatchObject({ points: 4, days: 2, daysPerPoint: 0.5 });
    expect(s.concerns!.map((c) => [c.concern, c.findings])).toEqual([
      ['session-state', 1],
      ['file-logging', 1],
    ]);
  });
});
