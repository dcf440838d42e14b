import { describe, expect, it } from 'vitest';
import { parseYaml, pathMatches, yamlAnalyzer } from '../../../analyzers/yaml/index.js';

const run = (text: string, match: Record<string, unknown>) => yamlAnalyzer.analyze({ path: 'x.yaml', text }, [{ id: 'r', match: { analyzer: 'yaml', ...match } }]);

describe('parseYaml', () => {
  it('walks every document of a stream with exact key lines', () => {
    const { entries, errors } = parseYaml('a:\n  b: 1\n---\nkind: Service\nspec:\n  ports:\n    - port: 80\n');
    expect(errors).toEqual([]);
    expect(entries.map((e) => [e.path.join('.'), e.value, e.line, e.doc])).toEqual([
      ['a', undefined, 1, 0],
      ['a.b', '1', 2, 0],
      ['kind', 'Service', 4, 1],
      ['spec', undefined, 5, 1],
      ['spec.ports', undefined, 6, 1],
      ['spec.ports.0', undefined, 7, 1],
      ['spec.ports.0.port', '80', 7, 1],
    ]);
  });

  it('does not expand aliases (an alias bomb costs nothing)', () => {
    const bomb = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]', ...Array.from({ length: 8 }, (_, i) => {
      const p = String.fromCharCode(97 + i);
      const n = String.fromCharCode(98 + i);
      return `${n}: &${n} [*${p},*${p},*${p},*${p},*${p},*${p},*${p},*${p},*${p}]`;
    })].join('\n');
    const { entries } = parseYaml(bomb);
    expect(entries.length).toBeLessThan(200);
  });

  it('keeps duplicate keys, CRLF lines and a BOM', () => {
    const { entries } = parseYaml('\uFEFFk: 1\r\nk: 2\r\n');
    expect(entries.map((e) => [e.path.join('.'), e.value, e.line])).toEqual([
      ['k', '1', 1],
      ['k', '2', 2],
    ]);
  });

  it('reports malformed YAML as errors and keeps what it recovered', () => {
    const { entries, errors } = parseYaml('ok: 1\nbad: [unclosed\nother: 2\n');
    expect(errors.length).toBeGreaterThan(0);
    expect(entries.some((e) => e.path[0] === 'ok' && e.line === 1)).toBe(true);
  });
});

describe('pathMatches', () => {
  it('supports *, ** and alternatives', () => {
    expect(pathMatches(['metadata', 'annotations', '*'], ['metadata', 'annotations', 'x.io/y'])).toBe(true);
    expect(pathMatches(['**', 'environment', '*'], ['services', 'db', 'environment', 'A'])).toBe(true);
    expect(pathMatches(['data|stringData', '*'], ['stringData', 'pw'])).toBe(true);
    expect(pathMatches(['data', '*'], ['metadata', 'name'])).toBe(false);
  });
});

describe('yamlAnalyzer', () => {
  it('matches a key path + value, with a document condition', () => {
    const text = 'kind: ConfigMap\ndata:\n  pw: x\n---\nkind: Secret\ndata:\n  pw: eA==\n';
    const r = run(text, { path: 'data.*', value: '\\S', document: { kind: '^Secret$' }, captureValue: false });
    expect(r.matches).toEqual([{ ruleId: 'r', line: 7, column: 3, captures: { key: 'data.pw' } }]);
  });

  it('line rules still run on a malformed file and the error is reported', () => {
    const r = yamlAnalyzer.analyze({ path: 'x.yml', text: 'a: [1\n# url: jdbc:h2:file:x\nurl: jdbc:h2:file:y\n' }, [
      { id: 'line', match: { analyzer: 'yaml', line: 'jdbc:h2:file' } },
      { id: 'tree', match: { analyzer: 'yaml', key: 'url' } },
    ]);
    expect(r.matches.filter((m) => m.ruleId === 'line').map((m) => m.line)).toEqual([3]);
    expect(r.errors?.length).toBeGreaterThan(0);
  });

  it('validates match blocks', () => {
    expect(yamlAnalyzer.validate({ analyzer: 'yaml', path: 3 } as never).map((p) => p[0])).toContain('match.path');
    expect(yamlAnalyzer.validate({ analyzer: 'yaml', document: { kind: '(' } }).map((p) => p[0])).toContain('match.document.kind');
    expect(yamlAnalyzer.validate({ analyzer: 'yaml', path: 'a.b', value: 'x' })).toEqual([]);
  });
});

describe('yamlAnalyzer captures and keyPath', () => {
  it('keyPath sees nested and flat dotted keys alike', () => {
    const r = run('logging:\n  file:\n    name: /var/log/a.log\nlogging.file.name: b.log\nmetadata:\n  name: x\n', { keyPath: '(?:^|\\.)logging\\.file\\.name$' });
    expect(r.matches.map((m) => m.line)).toEqual([3, 4]);
  });

  it('captureValue false keeps named parts of the value but never the value itself', () => {
    const r = run('env:\n  - DB_PASSWORD=hunter2\n', { path: 'env.*', value: '^(?<name>\\w+)=(?<value>.*)$', captureValue: false });
    expect(r.matches[0]!.captures).toEqual({ key: 'env.0', name: 'DB_PASSWORD' });
  });
});
