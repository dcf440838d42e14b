/**
 * Runs a rule's inline examples through the real analyzer, the way ESLint's RuleTester and
 * ast-grep's `test` do: each positive example must produce exactly one finding of the rule
 * ("Missing" otherwise, "Noisy" if more), each negative none ("Noisy"). Shared by the test suite
 * and `paasport test-rules`, so users' catalogs are held to the same bar.
 */
import type { Analyzer } from '../analyzer.js';
import type { Rule, RuleExample } from '../model.js';
import { ScanPlan } from '../engine/plan.js';
import { analyzeSource } from '../engine/scan.js';

export interface ExampleOutcome {
  ruleId: string;
  kind: 'positive' | 'negative';
  index: number;
  file: string;
  status: 'ok' | 'missing' | 'noisy' | 'error';
  found: number;
  detail?: string;
}

export function exampleFileName(rule: Rule, example: RuleExample, analyzer: Analyzer | undefined): string {
  return example.file ?? rule.examples.file ?? analyzer?.exampleFile ?? 'example.txt';
}

export async function runRuleExamples(rule: Rule, analyzers: Analyzer[]): Promise<ExampleOutcome[]> {
  const plan = new ScanPlan([rule], analyzers);
  await plan.load();
  const analyzer = analyzers.find((a) => a.id === rule.match.analyzer);
  const outcomes: ExampleOutcome[] = [];
  const run = (kind: 'positive' | 'negative', example: RuleExample, index: number) => {
    const file = exampleFileName(rule, example, analyzer);
    if (!plan.wants(file)) {
      outcomes.push({ ruleId: rule.id, kind, index, file, status: 'error', found: 0, detail: `the rule does not look at a file named ${file}` });
      return;
    }
    const result = analyzeSource(plan, { path: file, text: example.code });
    let found = result.findings.filter((f) => f.ruleId === rule.id).length;
    if (plan.projectRules(rule.match.analyzer).length > 0) {
      const a = analyzers.find((x) => x.id === rule.match.analyzer);
      const summary = result.summaries[rule.match.analyzer];
      if (a?.finish && summary !== undefined) found += a.finish([{ path: file, summary }], plan.projectRules(a.id)).filter((m) => m.ruleId === rule.id).length;
    }
    const expected = kind === 'positive' ? 1 : 0;
    const status = found === expected ? 'ok' : found < expected ? 'missing' : 'noisy';
    const outcome: ExampleOutcome = { ruleId: rule.id, kind, index, file, status, found };
    if (status !== 'ok') outcome.detail = `expected ${expected} finding(s) of ${rule.id} in ${kind} example #${index + 1}, got ${found}${result.errors.length ? ` (errors: ${result.errors.map((e) => e.message).join('; ')})` : ''}`;
    outcomes.push(outcome);
  };
  rule.examples.positive.forEach((e, i) => run('positive', e, i));
  rule.examples.negative.forEach((e, i) => run('negative', e, i));
  return outcomes;
}
