import { describe, expect, it } from 'vitest';
import { parseProperties, propertiesAnalyzer } from '../../../analyzers/properties/index.js';

const run = (text: string, match: Record<string, unknown>, path = 'app.properties') =>
  propertiesAnalyzer.analyze({ path, text }, [{ id: 'r', match: { analyzer: 'properties', ...match } }]);

describe('parseProperties', () => {
  it('reads =, : and whitespace separators and skips # and ! comments', () => {
    const e = parseProperties('a=1\nb: 2\nc   3\n# d=4\n  ! e=5\nf\n');
    expect(e.map((x) => [x.key, x.value, x.line])).toEqual([
      ['a', '1', 1],
      ['b', '2', 2],
      ['c', '3', 3],
      ['f', '', 6],
    ]);
  });

  it('joins continuation lines, keeps the key line and finds the value line', () => {
    const e = parseProperties('x=1\nurl=\\\n   ldap://h:389/\\\n   dc=x\nafter=2\n');
    expect(e[1]).toMatchObject({ key: 'url', value: 'ldap://h:389/dc=x', line: 2, valueLine: 3, endLine: 4 });
    expect(e[2]).toMatchObject({ key: 'after', line: 5 });
  });

  it('an even number of trailing backslashes is not a continuation', () => {
    const e = parseProperties('path=C:\\\\\nnext=1');
    expect(e.map((x) => [x.key, x.value])).toEqual([
      ['path', 'C:\\'],
      ['next', '1'],
    ]);
  });

  it('resolves escapes in keys and values (\\uXXXX, \\t, escaped separators)', () => {
    const e = parseProperties('my\\ key\\=x = caf\\u00e9\\tbar\\\\');
    expect(e[0]).toMatchObject({ key: 'my key=x', value: 'café\tbar\\' });
  });

  it('handles CRLF, lone CR and a BOM with the same lines as LF', () => {
    const lf = parseProperties('\uFEFFa=1\nb=2\n\nc=3');
    const crlf = parseProperties('\uFEFFa=1\r\nb=2\r\n\r\nc=3');
    const cr = parseProperties('a=1\rb=2\r\rc=3');
    expect(crlf).toEqual(lf);
    expect(cr.map((x) => [x.key, x.line])).toEqual(lf.map((x) => [x.key, x.line]));
    expect(lf[0]!.key).toBe('a');
  });

  it('keeps every occurrence of a duplicate key', () => {
    expect(parseProperties('k=1\nk=2').map((x) => [x.value, x.line])).toEqual([
      ['1', 1],
      ['2', 2],
    ]);
  });

  it('reads text decoded from Windows-1252 (smart quotes, euro) unchanged', () => {
    const e = parseProperties('greeting=Caf\u00e9 \u20ac\r\npassword=\u201csecret\u201d\r\n');
    expect(e[1]).toMatchObject({ key: 'password', value: '\u201csecret\u201d', line: 2 });
  });
});

describe('propertiesAnalyzer', () => {
  it('matches key and value regexes at the key line and captures named groups', () => {
    const r = run('# db.url=jdbc:mysql://old:3306/x\ndb.url=jdbc:mysql://db01:3306/x\n', { key: 'url$', value: '//(?<host>[\\w.]+)' });
    expect(r.matches).toEqual([{ ruleId: 'r', line: 2, column: 1, captures: { key: 'db.url', value: 'jdbc:mysql://db01:3306/x', host: 'db01' } }]);
  });

  it('keeps values out of captures when captureValue is false', () => {
    const r = run('db.password=tiger', { key: 'password$', value: '\\S', captureValue: false });
    expect(r.matches[0]!.captures).toEqual({ key: 'db.password' });
  });

  it('valueNot and keyNot exclude matches', () => {
    const r = run('a.password=${X}\nb.password=x\nc.password.length=3', { key: 'password', keyNot: 'length$', value: '\\S', valueNot: '\\$\\{' });
    expect(r.matches.map((m) => m.line)).toEqual([2]);
  });

  it('reports a continued entry with its last line as endLine', () => {
    const r = run('u=\\\n  x', { key: '^u$' });
    expect(r.matches[0]).toMatchObject({ line: 1, endLine: 2 });
  });

  it('line rules skip comment lines', () => {
    const r = run('#jdbc:h2:file:x\n! jdbc:h2:file:y\nk=jdbc:h2:file:z', { line: 'jdbc:h2:file' });
    expect(r.matches.map((m) => m.line)).toEqual([3]);
  });

  it('validates match blocks', () => {
    expect(propertiesAnalyzer.validate({ analyzer: 'properties', key: '(' })).toEqual([['match.key', expect.stringContaining('Invalid regular expression')]]);
    expect(propertiesAnalyzer.validate({ analyzer: 'properties', keys: 'x' }).map((p) => p[0])).toContain('match.keys');
    expect(propertiesAnalyzer.validate({ analyzer: 'properties' })).toEqual([['match', 'needs key, value or line']]);
    expect(propertiesAnalyzer.validate({ analyzer: 'properties', key: 'a', value: 'b', valueNot: 'c' })).toEqual([]);
  });

  it('handles only .properties files', () => {
    expect(propertiesAnalyzer.handles('conf/workers.properties')).toBe(true);
    expect(propertiesAnalyzer.handles('conf/app.yml')).toBe(false);
  });
});
