import { describe, expect, it } from 'vitest';
import { jsonAnalyzer, parseJson } from '../../../analyzers/json/index.js';

describe('parseJson', () => {
  it('reads JSONC (comments, trailing commas) with key lines', () => {
    const { entries, errors } = parseJson('{\n  // c\n  "db": {\n    "url": "jdbc:x", /* c */\n  },\n  "list": [1, "a",],\n}\n');
    expect(errors).toEqual([]);
    expect(entries.map((e) => [e.path.join('.'), e.value, e.line])).toEqual([
      ['db', undefined, 3],
      ['db.url', 'jdbc:x', 4],
      ['list', undefined, 6],
      ['list.0', '1', 6],
      ['list.1', 'a', 6],
    ]);
  });

  it('keeps lines right with CRLF and a BOM, and reports malformed JSON', () => {
    const { entries } = parseJson('\uFEFF{\r\n"a": 1,\r\n"a": 2\r\n}');
    expect(entries.map((e) => [e.path[0], e.value, e.line])).toEqual([
      ['a', '1', 2],
      ['a', '2', 3],
    ]);
    const bad = parseJson('{\n "a": 1\n "b": \n}');
    expect(bad.errors.length).toBeGreaterThan(0);
    expect(bad.errors[0]!.line).toBeGreaterThan(1);
  });
});

describe('jsonAnalyzer', () => {
  it('matches keys at their line and leaves package.json to the Node analyzer', () => {
    const r = jsonAnalyzer.analyze({ path: 'config/app.json', text: '{\n  "db": { "password": "tiger" }\n}' }, [
      { id: 'r', match: { analyzer: 'json', key: 'password$', value: '\\S', captureValue: false } },
    ]);
    expect(r.matches).toEqual([{ ruleId: 'r', line: 2, column: 11, captures: { key: 'db.password' } }]);
    expect(jsonAnalyzer.handles('package.json')).toBe(false);
    expect(jsonAnalyzer.handles('web/package-lock.json')).toBe(false);
    expect(jsonAnalyzer.handles('tsconfig.jsonc')).toBe(true);
  });
});
