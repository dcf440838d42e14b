/** package.json: findings at the dependency's own line, and which engines ranges pin an old Node. */
import { describe, expect, it } from 'vitest';
import { highestMajor, packageJsonAnalyzer } from '../../../analyzers/package-json/index.js';

describe('package-json analyzer', () => {
  it('reports a dependency at its line, in the sections asked for', () => {
    const text = '{\n  "name": "x",\n  "dependencies": {\n    "express": "^4",\n    "bcrypt": "^5.1.0"\n  },\n  "devDependencies": { "node-sass": "^4" }\n}';
    const rule = { id: 't/native', match: { analyzer: 'package-json', dependency: 'bcrypt|node-sass' } };
    expect(packageJsonAnalyzer.analyze({ path: 'package.json', text }, [rule]).matches).toEqual([{ ruleId: 't/native', line: 5, column: 5, captures: { key: 'bcrypt', value: '^5.1.0' } }]);
    const withDev = { id: 't/native', match: { ...rule.match, sections: ['dependencies', 'devDependencies'] } };
    expect(packageJsonAnalyzer.analyze({ path: 'package.json', text }, [withDev]).matches.map((m) => m.line)).toEqual([5, 7]);
  });

  it('reports broken JSON as an error, not an exception', () => {
    const r = packageJsonAnalyzer.analyze({ path: 'package.json', text: '{ "dependencies": { "a": } ' }, [{ id: 't', match: { analyzer: 'package-json', dependency: 'a' } }]);
    expect(r.errors?.[0]?.message).toMatch(/invalid JSON/);
  });

  it('computes the newest Node major an engines range admits', () => {
    expect(highestMajor('0.10.x')).toBe(0);
    expect(highestMajor('~4.2')).toBe(4);
    expect(highestMajor('>=6 <9')).toBe(8);
    expect(highestMajor('^8 || ^10')).toBe(10);
    expect(highestMajor('>=0.10')).toBe(Infinity);
    expect(highestMajor('20.x')).toBe(20);
  });
});
