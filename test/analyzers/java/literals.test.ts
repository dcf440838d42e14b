/**
 * The literal precheck (analyzers/java/literals.ts) may only save parses, never change a result: its
 * lexical read of a file's literals holds every value the parse yields, it gives up where its cut of
 * the text could differ from tree-sitter's, and the analyzer's output is the same with and without
 * it — while it really does leave files unparsed.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { loadCatalog } from '../../../cli/catalog.js';
import type { AnalyzerRule } from '../../../core/index.js';
import { REPO_ROOT } from '../../helpers.js';

const parses = vi.hoisted(() => ({ count: 0 }));
vi.mock('../../../analyzers/java/parse.js', async (importOriginal) => {
  const orig = await importOriginal<typeof import('../../../analyzers/java/parse.js')>();
  return {
    ...orig,
    parseJava: (...args: Parameters<typeof orig.parseJava>) => {
      parses.count++;
      return orig.parseJava(...args);
    },
  };
});

const { analyzeJava, javaAnalyzer } = await import('../../../analyzers/java/index.js');
const { parseJava } = await import('../../../analyzers/java/parse.js');
const { literalValues } = await import('../../../analyzers/java/literals.js');

beforeAll(() => javaAnalyzer.load!());

const javaRules: AnalyzerRule[] = loadCatalog()
  .rules.filter((r) => r.match.analyzer === 'java')
  .map((r) => ({ id: r.id, match: r.match }));
const literalOnly = javaRules.filter((r) => (r.match.any as Array<Record<string, unknown>>).every((p) => 'literal' in p));

/** Real-looking code around the places a lexical read goes wrong: quotes in comments and char literals, escapes, text blocks, comment markers in strings. */
const TRICKY = [
  `package a;
// don't "connect" to db01.acme.corp here
/* it's "C:\\\\apps" */
class Config {
  static final char Q = '"', A = '\\'', B = '\\\\', U = '\\u0022';
  static final String SMTP_HOST = "mailrelay.acme.corp";
  String url = "http://db.acme.corp/*not a comment*/";
  String path = "C:\\\\apps\\\\orders";
  String quoted = "say \\"localhost\\" // still a string";
  String escaped = "\\u006cocalhost";
  String server = "\\154ocalhost";
  String built = "http://" + "intranet.corp" + "/x";
}`,
  `class Blocks {
  String sql = """
      SELECT * FROM t WHERE host = 'db01.acme.corp' \\
      AND url = "jdbc:h2:/var/data/app"
      """;
  String jndi = "java:comp/env/jdbc/Orders";
  java.net.Socket s() throws Exception { return new java.net.Socket("10.0.0.12", 61616); }
}`,
  `class Props {
  void set() {
    System.setProperty("javax.net.ssl.trustStore", "/opt/certs/trust.jks");
    java.sql.DriverManager.getConnection("jdbc:oracle:thin:@db01:1521:ORCL", "scott", "tiger");
    String apiKey = "sk_live_51HxQ2";
  }
}`,
  `class Plain { String greeting = "hello"; int n = 'x' + 1; String host = "not a host"; }`,
  // a merge conflict: tree-sitter cannot parse it, its lines are read lexically
  `class Merge {
<<<<<<< HEAD
  String host = "db01.acme.corp";
=======
  String host = "db02.acme.corp";
>>>>>>> branch
}`,
];

function corpus(): string[] {
  const files = readdirSync(path.join(REPO_ROOT, 'fixtures'), { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.java'))
    .map((f) => readFileSync(path.join(REPO_ROOT, 'fixtures', f), 'utf8'));
  const examples = loadCatalog()
    .rules.filter((r) => r.match.analyzer === 'java')
    .flatMap((r) => [...r.examples.positive, ...r.examples.negative].map((e) => e.code));
  const crlf = TRICKY.map((t) => t.replace(/\n/g, '\r\n'));
  return [...TRICKY, ...crlf, ...files, ...examples];
}

describe('java literal precheck: the lexical read', () => {
  it('holds every literal value the parse yields', () => {
    let read = 0;
    for (const text of corpus()) {
      const values = literalValues(text);
      if (values === undefined) continue;
      read++;
      const have = new Set(values);
      for (const l of parseJava(text).facts.literals) expect(have.has(l.value), `${JSON.stringify(l.value)} in\n${text.slice(0, 300)}`).toBe(true);
    }
    expect(read).toBeGreaterThan(100);
  });

  it('reads values decoded as the parse does, and nothing in comments or char literals', () => {
    const values = literalValues(TRICKY[0]!)!;
    expect(values).toContain('localhost');
    expect(values).toContain('C:\\apps\\orders');
    expect(values).toContain('say "localhost" // still a string');
    expect(values).not.toContain('connect');
    expect(values.some((v) => v.includes('C:\\\\apps'))).toBe(false);
  });

  it('gives up where its cut of the text could differ from the parser', () => {
    expect(literalValues('class T { String s = STR."host \\{name("x")}"; }')).toBeUndefined();
    expect(literalValues('class T { String s = "line one\nline two"; }')).toBeUndefined();
    expect(literalValues('class T { String s = "a"; }\r// old Mac line end\rString t = "b";')).toBeUndefined();
    expect(literalValues('class T { /* never closed String s = "a"; }')).toBeUndefined();
    expect(literalValues('class T { String s = """\n  never closed; }')).toBeUndefined();
  });
});

describe('java literal precheck: the analyzer', () => {
  it('finds the same with and without it, and skips parses', () => {
    let skipped = 0;
    for (const text of corpus()) {
      for (const rules of [javaRules, literalOnly, literalOnly.slice(0, 1), literalOnly.slice(1, 3)]) {
        const file = { path: 'src/main/java/a/A.java', text };
        const plain = analyzeJava(file, rules, false);
        const before = parses.count;
        const checked = analyzeJava(file, rules);
        if (parses.count === before) skipped++;
        expect(checked.matches).toEqual(plain.matches);
        // (a file left unparsed has no parse errors to report)
        if (parses.count > before) expect(checked.errors).toEqual(plain.errors);
      }
    }
    expect(skipped).toBeGreaterThan(0);
  });

  it('parses a file as soon as one value could match a literal-only rule', () => {
    const file = { path: 'src/A.java', text: TRICKY[3]! };
    const host = literalOnly.filter((r) => r.id === 'java/hardcoded-hostname');
    expect(host).toHaveLength(1);
    let before = parses.count;
    expect(analyzeJava(file, host).matches).toEqual([]);
    expect(parses.count).toBe(before);
    before = parses.count;
    const withHost = { ...file, text: file.text.replace('"not a host"', '"db01.acme.corp"') };
    expect(analyzeJava(withHost, host).matches.length).toBe(1);
    expect(parses.count).toBe(before + 1);
  });
});
