/**
 * Deterministic synthetic trees and a small text-analyzer catalog for the scale tests: they need
 * enough files to make the worker pool start, tokens that some files lack (so the prefilter has
 * something to skip) and findings in many files (so a wrong merge or cache hit would show).
 */
import { writeTree } from '../helpers.js';

function rule(id: string, concern: string, regex: string, tokens: string[] | undefined, files: string[]): string {
  return [
    `id: ${id}`,
    `concern: ${concern}`,
    'severity: potential',
    'effort: 3',
    `title: ${id} test rule`,
    `message: '${id} found {{value}}'`,
    'remediation: Move it to configuration.',
    'links: [{title: docs, url: "https://example.com/docs"}]',
    'tags: [test]',
    'match:',
    '  analyzer: text',
    `  files: ${JSON.stringify(files)}`,
    `  regex: ${JSON.stringify(regex)}`,
    ...(tokens ? [`  tokens: ${JSON.stringify(tokens)}`] : []),
    'examples:',
    '  file: a.txt',
    `  positive: [${JSON.stringify(regex.includes('InitialContext') ? 'new InitialContext()' : regex.includes('FileWriter') ? 'new FileWriter(x)' : regex.includes('password') ? 'password = x' : '10.0.0.1')}]`,
    '  negative: ["nothing here"]',
    '',
  ].join('\n');
}

/** Four rules: three with tokens, one (IP literals) without, so it always runs. */
export function writeRules(dir: string): void {
  const files = ['**/*.txt', '**/*.conf'];
  writeTree(dir, {
    'perf/jndi.yaml': rule('perf/jndi', 'app-server-api', '(?<value>new InitialContext)', ['InitialContext'], files),
    'perf/file-writer.yaml': rule('perf/file-writer', 'local-storage', '(?<value>FileWriter)\\(', ['FileWriter'], files),
    'perf/password.yaml': rule('perf/password', 'local-credentials', 'password\\s*=', ['password'], files),
    'perf/ip.yaml': rule('perf/ip', 'host-bound-config', '(?<value>\\b10\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}\\b)', undefined, files),
  });
}

/** A seeded pseudo-random generator, so every run writes the same tree. */
function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const PLAIN = ['the quick brown fox jumps over the lazy dog', 'lorem ipsum dolor sit amet, consectetur', 'value = compute(a, b) + 42', 'return cache.get(key)'];
const HITS = ['ctx = new InitialContext();', 'out = new FileWriter("/var/log/app.log");', 'password = hunter2', 'host = 10.1.2.3'];

/**
 * `count` files in nested folders; about a third contain no token at all. `linesEach` lines each;
 * 40 lines ≈ 1.3 KB.
 */
export function writeCorpus(root: string, count: number, linesEach = 40, seed = 7): void {
  const rnd = lcg(seed);
  const files: Record<string, string> = {};
  for (let i = 0; i < count; i++) {
    const hitty = i % 3 !== 0;
    const lines: string[] = [];
    for (let l = 0; l < linesEach; l++) {
      const r = rnd();
      lines.push(hitty && r < 0.04 ? HITS[Math.floor(rnd() * HITS.length)]! : PLAIN[Math.floor(rnd() * PLAIN.length)]!);
    }
    files[`mod${i % 7}/pkg${i % 5}/file-${String(i).padStart(4, '0')}.${i % 4 === 0 ? 'conf' : 'txt'}`] = `${lines.join('\n')}\n`;
  }
  writeTree(root, files);
}

/** A report minus what legitimately differs between two runs of the same scan. */
export function comparable(report: Record<string, unknown>): Record<string, unknown> {
  const { startedAt: _s, durationMs: _d, ...rest } = report;
  return rest;
}
