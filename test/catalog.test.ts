/** Conventions of the catalog, enforced by tests rather than review. */
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadCatalog } from '../cli/catalog.js';
import { analyzersById } from '../cli/registry.js';
import { BLOCKER_CONCERNS, CONTRACT_CONCERNS, parseRule, ruleSchema } from '../core/index.js';
import { REPO_ROOT, runCli, tempDir, writeTree } from './helpers.js';

const { rules } = loadCatalog();

describe('catalog conventions', () => {
  it('rules/rule.schema.json is generated from core/catalog/schema.ts', () => {
    const onDisk = JSON.parse(readFileSync(path.join(REPO_ROOT, 'rules', 'rule.schema.json'), 'utf8'));
    expect(onDisk).toEqual(JSON.parse(JSON.stringify(ruleSchema)));
  });

  it('ids equal paths, are unique, and every rule has a positive example and a link', () => {
    const ids = new Set<string>();
    for (const r of rules) {
      expect(r.source).toBe(`rules/${r.id}.yaml`);
      expect(ids.has(r.id)).toBe(false);
      ids.add(r.id);
      expect(r.examples.positive.length).toBeGreaterThan(0);
      expect(r.links.length).toBeGreaterThan(0);
    }
  });

  it('contract concerns are only used by project-scope rules', () => {
    for (const r of rules) {
      if ((CONTRACT_CONCERNS as readonly string[]).includes(r.concern)) expect(r.match.scope).toBe('project');
      else expect((BLOCKER_CONCERNS as readonly string[]).includes(r.concern)).toBe(true);
    }
  });
});

describe('rule loading errors name the file, the rule and the field', () => {
  const base = `id: custom/x
concern: local-storage
severity: mandatory
effort: 3
title: A title
message: A message
remediation: Fix it
links: [{title: t, url: "https://example.org"}]
tags: []
match: {analyzer: text, files: ['**/*.txt'], regex: 'x'}
examples: {positive: [{file: a.txt, code: x}], negative: []}
`;
  it('accepts a valid rule', () => {
    const r = parseRule(base, 'custom/x.yaml', 'custom/x', analyzersById);
    expect(Array.isArray(r)).toBe(false);
  });
  it('reports a bad enum value with its field', () => {
    const r = parseRule(base.replace('severity: mandatory', 'severity: high'), 'custom/x.yaml', 'custom/x', analyzersById);
    expect(r).toEqual([{ file: 'custom/x.yaml', ruleId: 'custom/x', field: 'severity', message: 'must be one of: mandatory, potential, optional' }]);
  });
  it('reports an unknown key', () => {
    const r = parseRule(`${base}colour: red\n`, 'custom/x.yaml', 'custom/x', analyzersById);
    expect(r).toEqual([{ file: 'custom/x.yaml', ruleId: 'custom/x', field: 'colour', message: 'unknown key' }]);
  });
  it('reports an analyzer-level problem in the match block', () => {
    const r = parseRule(base.replace("regex: 'x'", "regex: '(('"), 'custom/x.yaml', 'custom/x', analyzersById);
    expect(Array.isArray(r) && r[0]?.field).toBe('match.regex');
  });
  it('rejects an id that does not equal its path', () => {
    const r = parseRule(base, 'custom/y.yaml', 'custom/y', analyzersById);
    expect(Array.isArray(r) && r[0]).toMatchObject({ field: 'id', ruleId: 'custom/x' });
  });
  it('a broken custom rule file is reported, the scan still runs, and the exit code is 2', () => {
    const dir = tempDir();
    writeTree(dir, {
      'app/conf/a.txt': 'x marks the spot\n',
      'rules/custom/x.yaml': base,
      'rules/custom/broken.yaml': base.replace('id: custom/x', 'id: custom/broken').replace('effort: 3', 'effort: 4'),
    });
    const r = runCli(['scan', path.join(dir, 'app'), '--format', 'json', '--rules', path.join(dir, 'rules'), '--no-builtin-rules']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('custom/broken.yaml, rule custom/broken, field effort');
    const report = JSON.parse(r.stdout);
    expect(report.findings.map((f: { ruleId: string }) => f.ruleId)).toEqual(['custom/x']);
    expect(report.errors[0].file).toMatch(/custom\/broken\.yaml$/);
  });
});

describe('parsed-rule memo in the cache folder', () => {
  it('gives exactly the freshly parsed catalog, problems included, and survives a corrupt memo', () => {
    const extra = tempDir('paasport-memo-rules-');
    writeTree(extra, { 'team/broken.yaml': 'id: team/broken\nconcern: [unclosed\n' });
    const memoDir = tempDir('paasport-memo-');
    const fresh = loadCatalog({ extra: [extra] });
    expect(fresh.problems.length).toBeGreaterThan(0);
    const first = loadCatalog({ extra: [extra], memoDir });
    const memo = path.join(memoDir, 'catalog.json');
    const written = statSync(memo).mtimeMs;
    const second = loadCatalog({ extra: [extra], memoDir });
    expect(first).toEqual(fresh);
    expect(second).toEqual(fresh);
    // nothing new to remember: the memo is not rewritten
    expect(statSync(memo).mtimeMs).toBe(written);
    writeFileSync(memo, readFileSync(memo, 'utf8').replace('"mandatory"', '"optional"'));
    expect(loadCatalog({ extra: [extra], memoDir })).toEqual(fresh);
  });
});
