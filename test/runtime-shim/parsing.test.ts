/** The shim's hand-written parsers (the island may not import libraries): globs, the YAML subset, templates. */
import { describe, expect, it } from 'vitest';
import { parseShimArgs, parseYamlSubset, ShimConfigError } from '../../runtime-shim/config.js';
import { globBase, globToRegExp } from '../../runtime-shim/logs.js';
import { renderTemplate } from '../../runtime-shim/render.js';

describe('globToRegExp', () => {
  const cases: Array<[string, string[], string[]]> = [
    ['*.log', ['app.log', '.x.log'], ['app.log.1', 'a/app.log', 'app.txt']],
    ['**/*.log', ['app.log', 'a/app.log', 'a/b/c.log'], ['app.log.1', 'a/app.txt']],
    ['app-?.log', ['app-1.log'], ['app-12.log', 'app-.log']],
    ['{access,error}.log', ['access.log', 'error.log'], ['debug.log']],
    ['app.[0-9].log', ['app.3.log'], ['app.x.log']],
    ['a+b(1).log', ['a+b(1).log'], ['aab1.log']],
  ];
  for (const [glob, yes, no] of cases) {
    it(glob, () => {
      const re = globToRegExp(glob);
      for (const y of yes) expect(re.test(y), y).toBe(true);
      for (const n of no) expect(re.test(n), n).toBe(false);
    });
  }
  it('splits the static folder from the pattern', () => {
    expect(globBase('/var/log/app/*.log')).toEqual({ base: '/var/log/app', rest: '*.log' });
    expect(globBase('logs/**/x.log')).toEqual({ base: 'logs', rest: '**/x.log' });
    expect(globBase('*.log')).toEqual({ base: '.', rest: '*.log' });
  });
});

describe('parseYamlSubset', () => {
  it('reads flat keys, both list forms, quotes and comments', () => {
    const text = `# comment
name: "orders # not a comment"
health-port: 8558   # trailing comment
etcd: 'http://etcd:2379'
logs:
  - /app/logs/*.log
  - "logs/a b.log"
render: [a.tmpl:a.conf, 'b.tmpl:b.conf']
empty: []
`;
    expect(parseYamlSubset(text, 'x.yaml')).toEqual({
      name: 'orders # not a comment',
      'health-port': '8558',
      etcd: 'http://etcd:2379',
      logs: ['/app/logs/*.log', 'logs/a b.log'],
      render: ['a.tmpl:a.conf', 'b.tmpl:b.conf'],
      empty: [],
    });
  });
  it('rejects what it does not understand, with the line', () => {
    expect(() => parseYamlSubset('a: 1\nprobes:\n  path: /x\n', 'c.yaml')).toThrow(/c\.yaml:3: not supported/);
    expect(() => parseYamlSubset('- stray\n', 'c.yaml')).toThrow(ShimConfigError);
  });
});

describe('parseShimArgs', () => {
  it('stops at the first -- and keeps the app command verbatim', () => {
    const r = parseShimArgs(['--log', 'a.log', '--log=b.log', '--name', 'x', '--', 'java', '--log', '-jar', '--', 'app.jar']);
    expect(r.flags).toEqual({ logs: ['a.log', 'b.log'], name: 'x' });
    expect(r.command).toEqual(['java', '--log', '-jar', '--', 'app.jar']);
  });
});

describe('renderTemplate', () => {
  it('resolves env, defaults, _FILE absence, escapes, and reports what is missing', () => {
    const r = renderTemplate('a=${A} b=${B:dflt} c=${C:} e=$${A} m=${M} m2=${M}', { A: 'x' });
    expect(r.text).toBe('a=x b=dflt c= e=${A} m=${M} m2=${M}');
    expect(r.missing).toEqual(['M']);
  });
  it('prefers a set-but-empty variable over the default', () => {
    expect(renderTemplate('[${A:d}]', { A: '' }).text).toBe('[]');
  });
});
