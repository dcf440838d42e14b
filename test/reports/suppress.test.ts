/** Inline suppressions across comment syntaxes, through the real engine (plan + text analyzer). */
import { describe, expect, it } from 'vitest';
import { textAnalyzer } from '../../analyzers/text/index.js';
import { analyzeSource, parseDirectives, ScanPlan } from '../../core/index.js';
import { rule } from './synthetic.js';

const host = rule('demo/host', 'host-bound-config', 'optional', 1, { match: { analyzer: 'text', files: ['**/*'], regex: 'db01' } });
const plan = new ScanPlan([host], [textAnalyzer]);
const scan = (path: string, text: string) => analyzeSource(plan, { path, text });
const known = (t: string) => t === 'demo/host' || t === 'host-bound-config';

describe('inline suppressions', () => {
  const cases: Array<[string, string, string]> = [
    ['Java, same line', 'A.java', 'String h = "db01"; // paasport-ignore demo/host -- test double only'],
    ['Java, next line', 'A.java', '// paasport-ignore-next-line host-bound-config -- test double only\nString h = "db01";'],
    ['Java block comment', 'A.java', '/* paasport-ignore-next-line demo/host -- test double only */\nString h = "db01";'],
    ['Javadoc line', 'A.java', ' * paasport-ignore-next-line demo/host -- test double only\nString h = "db01";'],
    ['JS', 'a.js', "const h = 'db01'; // paasport-ignore demo/host -- test double only"],
    ['properties', 'a.properties', '# paasport-ignore-next-line demo/host -- test double only\nhost=db01'],
    ['YAML', 'a.yml', 'db:\n  host: db01  # paasport-ignore demo/host -- test double only'],
    ['XML', 'web.xml', '<host>db01</host> <!-- paasport-ignore demo/host -- test double only -->'],
    ['XML with ":" (XML forbids -- in comments)', 'web.xml', '<host>db01</host> <!-- paasport-ignore demo/host: test double only -->'],
    ['XML, next line', 'web.xml', '<!-- paasport-ignore-next-line demo/host, file-logging -- test double only -->\n<host>db01</host>'],
  ];
  for (const [name, file, text] of cases) {
    it(`${name}: the finding is kept, marked suppressed with the reason`, () => {
      const r = scan(file, text);
      expect(r.findings).toHaveLength(1);
      expect(r.findings[0]!.suppressed).toMatchObject({ kind: 'inline', reason: 'test double only' });
      expect(r.errors).toEqual([]);
    });
  }

  it('without a directive, or for another rule, or on another line, nothing is suppressed', () => {
    expect(scan('A.java', 'String h = "db01";').findings[0]!.suppressed).toBeUndefined();
    expect(scan('A.java', 'String h = "db01"; // paasport-ignore file-logging -- other concern').findings[0]!.suppressed).toBeUndefined();
    expect(scan('A.java', '// paasport-ignore demo/host -- same line only\nString h = "db01";').findings[0]!.suppressed).toBeUndefined();
    expect(scan('A.java', '// paasport-ignore-next-line demo/host -- too far\n\nString h = "db01";').findings[0]!.suppressed).toBeUndefined();
  });

  it('a directive without a reason suppresses nothing and is reported with its line', () => {
    const r = scan('A.java', 'int x;\nString h = "db01"; // paasport-ignore demo/host');
    expect(r.findings[0]!.suppressed).toBeUndefined();
    expect(r.errors).toEqual([{ file: 'A.java', line: 2, message: expect.stringMatching(/has no reason/) }]);
    const empty = scan('A.java', 'String h = "db01"; // paasport-ignore -- because');
    expect(empty.errors[0]!.message).toMatch(/names no rule id or concern/);
    const noSeparator = scan('A.java', 'String h = "db01"; // paasport-ignore demo/host because I say so');
    expect(noSeparator.findings[0]!.suppressed).toBeUndefined();
    expect(noSeparator.errors[0]!.message).toMatch(/cannot read/);
  });

  it('an unknown target is reported (typos must not look like working suppressions)', () => {
    const r = parseDirectives(['x // paasport-ignore demo/hots -- typo'], known);
    expect(r.problems[0]!.message).toMatch(/demo\/hots is not a known rule id or concern/);
  });

  it('text that merely mentions the token outside a comment is not a directive', () => {
    expect(parseDirectives(['String s = "paasport-ignore demo/host -- x";'], known).directives).toEqual([]);
  });
});
