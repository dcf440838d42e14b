import { describe, expect, it } from 'vitest';
import { envAnalyzer, isEnvFile, parseEnv } from '../../../analyzers/env/index.js';
import { propertiesAnalyzer } from '../../../analyzers/properties/index.js';

describe('parseEnv', () => {
  it('reads KEY=value, export, quotes, inline comments, with lines', () => {
    const { entries, errors } = parseEnv('# c\nA=1\nexport B="two words" # c\nC=\'x # not a comment\'\nD=plain # comment\nE="multi\nline"\nF=last');
    expect(entries.map((e) => [e.key, e.value, e.line, e.endLine])).toEqual([
      ['A', '1', 2, 2],
      ['B', 'two words', 3, 3],
      ['C', 'x # not a comment', 4, 4],
      ['D', 'plain', 5, 5],
      ['E', 'multi\nline', 6, 7],
      ['F', 'last', 8, 8],
    ]);
    expect(errors).toEqual([]);
  });

  it('reports lines that are not assignments and unterminated quotes', () => {
    const { errors } = parseEnv('GOOD=1\nthis is not an env line\nBAD="open');
    expect(errors.map((e) => e.line)).toEqual([2, 3]);
  });
});

describe('envAnalyzer', () => {
  it('matches keys with literal values at their line', () => {
    const r = envAnalyzer.analyze({ path: '.env', text: 'DB_PASSWORD=${DB_PASSWORD}\r\nAPI_TOKEN=abc\r\n' }, [
      { id: 'r', match: { analyzer: 'env', key: '(TOKEN|PASSWORD)$', value: '\\S', valueNot: '^\\$\\{', captureValue: false } },
    ]);
    expect(r.matches).toEqual([{ ruleId: 'r', line: 2, column: 1, captures: { key: 'API_TOKEN' } }]);
  });

  it('matches every entry when a rule asks for the g flag, and validates like the properties analyzer', () => {
    // a global regex keeps lastIndex between exec() calls and would skip the second key
    const rules = [{ id: 'r', match: { analyzer: 'env', key: 'PASSWORD$', flags: 'gi' } }];
    const r = envAnalyzer.analyze({ path: '.env', text: 'DB_PASSWORD=a\nMQ_PASSWORD=b\n' }, rules);
    expect(r.matches.map((m) => m.captures?.key)).toEqual(['DB_PASSWORD', 'MQ_PASSWORD']);
    const bad = { analyzer: 'x', key: '(', line: 'y', colour: 1 };
    expect(envAnalyzer.validate(bad).map(([f]) => f)).toEqual(['match.colour', 'match.key', 'match.line']);
    expect(envAnalyzer.validate(bad).slice(1)).toEqual(propertiesAnalyzer.validate(bad).slice(1));
  });

  it('recognises dotenv file names', () => {
    expect(['.env', 'config/.env.production', 'app.env'].map(isEnvFile)).toEqual([true, true, true]);
    expect(['environment.ts', 'env.properties'].map(isEnvFile)).toEqual([false, false]);
  });
});
