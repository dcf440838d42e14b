/**
 * The java analyzer as the engine sees it: rules' match blocks validated with field paths, patterns
 * evaluated against real parses, and files with syntax errors still analyzed (on the recovered tree,
 * and lexically where it is damaged) and reported as errors.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { javaAnalyzer } from '../../../analyzers/java/index.js';
import { compileGlob } from '../../../analyzers/java/patterns.js';
import { lexicalFacts, stripComments } from '../../../analyzers/java/lexical.js';
import type { AnalyzerRule } from '../../../core/index.js';

function rule(id: string, match: Record<string, unknown>): AnalyzerRule {
  return { id, match: { analyzer: 'java', tokens: ['x'], ...match } };
}

beforeAll(() => javaAnalyzer.load!());

function run(text: string, ...rules: AnalyzerRule[]) {
  return javaAnalyzer.analyze({ path: 'src/A.java', text }, rules);
}

describe('java analyzer: contract', () => {
  it('handles .java files only and names its example file', () => {
    expect(javaAnalyzer.handles('src/main/java/a/B.java')).toBe(true);
    expect(javaAnalyzer.handles('src/main/resources/B.java.txt')).toBe(false);
    expect(javaAnalyzer.handles('pom.xml')).toBe(false);
    expect(javaAnalyzer.exampleFile).toBe('Example.java');
  });
});

describe('java analyzer: validate', () => {
  it('accepts a well-formed match block', () => {
    expect(
      javaAnalyzer.validate({
        analyzer: 'java',
        tokens: ['FileOutputStream'],
        any: [{ new: 'java.io.FileOutputStream' }, { call: { type: 'java.nio.file.Files', method: 'write|copy', unless: { text: 'tmp' } } }, { literal: { regex: '(?i)^jdbc:', kind: 'jdbc-url' } }],
        not: [{ import: { type: 'org.springframework.**', own: false } }],
      }),
    ).toEqual([]);
  });

  it('names the field of every problem', () => {
    const problems = javaAnalyzer.validate({
      analyzer: 'java',
      any: [
        { new: 'java.io.File Output' },
        { call: { method: '(' } },
        { literal: { in: ['everywhere'] } },
        { annotation: 'javax.ejb.Stateless', import: 'x.y' },
        { staticField: { mutated: 'yes' } },
        { call: { method: 'write' } },
      ],
      scope: 'project',
      extra: 1,
    });
    const fields = problems.map(([f]) => f);
    expect(fields).toEqual(
      expect.arrayContaining([
        'match.extra',
        'match.scope',
        'match.tokens',
        'match.any[0].new',
        'match.any[1].call.method',
        'match.any[2].literal.in[0]',
        'match.any[2].literal',
        'match.any[3]',
        'match.any[4].staticField.mutated',
        'match.any[5].call',
      ]),
    );
    expect(problems.find(([f]) => f === 'match.any[1].call.method')![1]).toMatch(/invalid regular expression/);
  });

  it('requires a non-empty any list', () => {
    expect(javaAnalyzer.validate({ analyzer: 'java', tokens: ['a'] }).map(([f]) => f)).toEqual(['match.any']);
  });
});

describe('java analyzer: globs', () => {
  it('* is one segment, ** any, braces and bars are alternatives', () => {
    expect(compileGlob('javax.ejb.*').test('javax.ejb.Stateless')).toBe(true);
    expect(compileGlob('javax.ejb.*').test('javax.ejb.spi.Foo')).toBe(false);
    expect(compileGlob('weblogic.**').test('weblogic.jndi.WLInitialContextFactory')).toBe(true);
    expect(compileGlob('{javax,jakarta}.jms.Queue').test('jakarta.jms.Queue')).toBe(true);
    expect(compileGlob('java.io.File|java.nio.file.Path').test('java.nio.file.Path')).toBe(true);
    expect(compileGlob('java.io.File').test('java.io.FileWriter')).toBe(false);
  });
});

describe('java analyzer: evaluation', () => {
  const write = rule('t/write', {
    any: [{ new: { type: 'java.io.FileOutputStream', unless: { text: 'createTempFile' } } }, { call: { type: 'java.nio.file.Files', method: 'write' } }],
  });

  it('reports the line and column of the `new`, with the type and path captured', () => {
    const r = run(
      `import java.io.*;
class A {
  void m() throws IOException {
    OutputStream o = new FileOutputStream("/var/data/out.bin");
  }
}`,
      write,
    );
    expect(r.errors).toBeUndefined();
    expect(r.matches).toEqual([{ ruleId: 't/write', line: 4, column: 22, captures: { type: 'java.io.FileOutputStream', value: '/var/data/out.bin' } }]);
  });

  it('an `unless` condition sees the initializer of a variable argument', () => {
    const r = run(
      `import java.io.*;
class A {
  void m() throws IOException {
    File t = File.createTempFile("a", "b");
    OutputStream o = new FileOutputStream(t);
  }
}`,
      write,
    );
    expect(r.matches).toEqual([]);
  });

  it('`when` and `not` gate a rule on other facts of the file', () => {
    const text = `import javax.ejb.Stateless;
@Stateless class A { void m() { System.exit(1); } }`;
    const exit = { call: { type: 'java.lang.System', method: 'exit' } };
    expect(run(text, rule('t/a', { any: [exit], when: [{ annotation: 'javax.ejb.Stateless' }] })).matches).toHaveLength(1);
    expect(run(text, rule('t/b', { any: [exit], when: [{ annotation: 'javax.ejb.Singleton' }] })).matches).toHaveLength(0);
    expect(run(text, rule('t/c', { any: [exit], not: [{ import: 'javax.jms.*' }] })).matches).toHaveLength(1);
    expect(run(text, rule('t/d', { any: [exit], not: [{ import: 'javax.ejb.Stateless' }] })).matches).toHaveLength(0);
  });

  it('a redacted literal captures its key but never its value', () => {
    const r = run(
      `class A { static final String DB_PASSWORD = "tiger"; }`,
      rule('t/secret', { any: [{ literal: { name: '(?i)password', redact: true, kind: 'password' } }] }),
    );
    expect(r.matches).toEqual([{ ruleId: 't/secret', line: 1, column: 45, captures: { key: 'DB_PASSWORD', kind: 'password' } }]);
    expect(JSON.stringify(r.matches)).not.toContain('tiger');
  });
});

describe('java analyzer: files with syntax errors', () => {
  const broken = `package com.acme;
import java.io.FileOutputStream;

public class Broken {
  // Runtime.getRuntime().exec("commented out");
  void m() throws Exception {
    new FileOutputStream("/var/acme/out.dat");
    Runtime.getRuntime().exec("ls");
  <<<<<<< HEAD
  }
}
`;

  it('are reported with the reason and line, and still analyzed: the tree as far as it recovered, the damaged lines lexically', () => {
    const exec = rule('t/exec', { any: [{ call: { type: 'java.lang.Runtime', method: 'exec' } }] });
    const r = run(broken, write(), exec);
    expect(r.errors).toHaveLength(1);
    expect(r.errors![0]!.message).toMatch(/Java parse error/);
    expect(r.errors![0]!.message).toMatch(/analyzed as far as the parser recovered, line 9 lexically/);
    expect(r.errors![0]!.line).toBe(9);
    expect(r.matches.map((m) => [m.ruleId, m.line])).toEqual([
      ['t/write', 7],
      ['t/exec', 8],
    ]);
  });

  function write() {
    return rule('t/write', { any: [{ new: 'java.io.FileOutputStream' }] });
  }

  it('keep the scoped facts of the lines the damage does not reach', () => {
    // The lexical pass knows no scopes: B's field `Files` would make A's Files.write a Cache call.
    const text = `import java.nio.file.Files;
import java.nio.file.Path;
class A {
  void save(Path p, byte[] b) throws Exception { Files.write(p, b); }
}
class B {
  private Cache Files;
  void broken() {
<<<<<<< HEAD
  }
}
`;
    const r = run(text, rule('t/files', { any: [{ call: { type: 'java.nio.file.Files', method: 'write' } }] }));
    expect(r.errors?.map((e) => e.line)).toEqual([9]);
    expect(r.matches.map((m) => [m.ruleId, m.line])).toEqual([['t/files', 4]]);
    expect(lexicalFacts(text).calls.find((c) => c.method === 'write')!.types).toEqual(['Cache']);
  });

  it('the lexical pass ignores comments but keeps strings that look like comments', () => {
    const { code, literals } = stripComments('a = "// not a comment"; // a comment\n/* b */ c = "/* nor this */";');
    expect(code).toContain('"// not a comment"');
    expect(code).not.toContain('// a comment');
    expect(code).not.toContain('/* b */');
    expect(literals.map((l) => l.image)).toEqual(['"// not a comment"', '"/* nor this */"']);
    const f = lexicalFacts(broken);
    expect(f.lexical).toBe(true);
    expect(f.calls.filter((c) => c.method === 'exec')).toHaveLength(1);
    expect(f.literals.map((l) => l.value)).toEqual(['/var/acme/out.dat', 'ls']);
  });
});
