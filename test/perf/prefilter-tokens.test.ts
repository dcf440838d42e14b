/**
 * The shape of a rule's `tokens` (docs/rules-tokens.md) is checked by the rule schema, and the
 * catalog's Java and JavaScript tokens are sharp enough that the boilerplate every file of a large
 * codebase carries (a licence header, imports, a small class or module) selects no rule: a cold
 * scan parses only files that can hold a finding.
 */
import { describe, expect, it } from 'vitest';
import { loadCatalog } from '../../cli/catalog.js';
import { analyzers, analyzersById } from '../../cli/registry.js';
import { parseRule, ScanPlan, type AnalyzerRule, type Rule } from '../../core/index.js';

function ruleText(tokens: string): string {
  return [
    'id: test/probe',
    'concern: local-storage',
    'severity: potential',
    'effort: 1',
    'title: probe rule',
    'message: probe rule',
    'remediation: nothing',
    'links: [{title: x, url: "https://example.com"}]',
    'tags: []',
    'match:',
    '  analyzer: java',
    `  tokens: ${tokens}`,
    '  any: [{new: java.io.FileOutputStream}]',
    'examples:',
    '  positive: ["class A { void f() throws Exception { new java.io.FileOutputStream(\\"x\\"); } }"]',
    '  negative: []',
  ].join('\n');
}

function parse(tokens: string): Rule | string[] {
  const r = parseRule(ruleText(tokens), 'test/probe.yaml', 'test/probe', analyzersById);
  return Array.isArray(r) ? r.map((e) => `${e.field ?? ''}: ${e.message}`) : r;
}

/** Which of the catalog's rules for `analyzer` a file would be handed to. */
function selected(rules: Rule[], path: string, text: string): string[] {
  let handed: string[] = [];
  const recorders = analyzers.map((a) => ({
    ...a,
    analyze(_f: unknown, rs: AnalyzerRule[]) {
      handed = rs.map((r) => r.id);
      return { matches: [] };
    },
  }));
  new ScanPlan(rules, recorders).analyzeFile({ path, text });
  return handed;
}

const LICENSE = `/*
 * Copyright (c) 1999, 2021, Oracle and/or its affiliates. All rights reserved.
 * This code is free software; you can redistribute it and/or modify it under the terms of the
 * GNU General Public License version 2 only. Oracle designates this particular file as subject to
 * the "Classpath" exception. This code is distributed in the hope that it will be useful, but
 * WITHOUT ANY WARRANTY; without even the implied warranty of MERCHANTABILITY or FITNESS FOR A
 * PARTICULAR PURPOSE. Please contact Oracle or visit www.oracle.com if you have any questions.
 */
`;

describe('rule tokens', () => {
  it('accepts tokens, all-of groups with one-of lists, and (?i) tokens', () => {
    const r = parse(`[FileOutputStream, [java.io, [FileWriter, PrintWriter]], '(?i)passw']`);
    expect(Array.isArray(r), JSON.stringify(r)).toBe(false);
    expect((r as Rule).match.tokens).toEqual(['FileOutputStream', ['java.io', ['FileWriter', 'PrintWriter']], '(?i)passw']);
  });

  it('rejects a list nested three deep, an empty group, an empty token and a bare (?i), naming the field', () => {
    for (const bad of ['[[a, [b, [c]]]]', '[[]]', "['']", "['(?i)']", '[]']) {
      const r = parse(bad);
      expect(Array.isArray(r), bad).toBe(true);
      expect((r as string[]).join('; '), bad).toMatch(/match\.tokens/);
    }
  });

  it('select no Java rule for a licence header, imports and a small class', () => {
    const java = loadCatalog().rules.filter((r) => r.match.analyzer === 'java');
    const text = `${LICENSE}
package com.example.util;

import java.util.Locale;
import java.util.Objects;

/** Formats a particular part of a local name; see the notes in the lookup table. */
public final class Names {
    private static final int LIMIT = 3;

    private Names() {}

    static String part(String name, Locale locale) {
        Objects.requireNonNull(name);
        return name.length() > LIMIT ? name.substring(0, LIMIT).toUpperCase(locale) : name;
    }
}
`;
    expect(selected(java, 'src/main/java/com/example/util/Names.java', text)).toEqual([]);
  });

  it('select no Node rule for a small module with a licence header', () => {
    const node = loadCatalog().rules.filter((r) => r.match.analyzer === 'node');
    const text = `${LICENSE}
'use strict';
const { format } = require('./format');
const path = require('path');

/** Joins the parts of an export path; imports and reports are relative to the root. */
function join(root, parts) {
  return path.join(root, ...parts.map((p) => format(p)));
}

module.exports = { join };
`;
    expect(selected(node, 'lib/join.js', text)).toEqual([]);
  });
});
