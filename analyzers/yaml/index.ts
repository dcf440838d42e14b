/**
 * The `yaml` analyzer: every document of a YAML stream (Kubernetes manifests, docker compose,
 * Spring `application.yml`, CI files) walked as a tree of key paths with exact source lines
 * (via the `yaml` package's LineCounter). Aliases are never expanded — the walk follows the
 * syntax tree, not the resolved data — so an alias bomb costs nothing. A malformed document is
 * reported in `errors`; whatever the parser recovered is still matched, and line rules always run.
 *
 * match:
 *   analyzer: yaml
 *   path: 'metadata.annotations.*'   # dotted key path; `*` = one segment, `**` = any number, `a|b` = either; sequence
 *                                    # items are segments named by their index. Or a list of segments
 *                                    # (for keys that contain dots).
 *   keyPath: '(^|\.)logging\.file$'   # regex on the whole dotted path (flat `a.b: x` keys and nested
 *                                    # `a: {b: x}` maps give the same string)
 *   key: 'affinity$'                 # regex on the last segment (the key itself)
 *   keyNot, value, valueNot          # regexes; value/valueNot test scalar values only
 *   document: { kind: '^Secret$' }   # optional: the document must have these (dotted path → regex) scalars
 *   captureValue: false              # keep values out of captures (secrets)
 *   line / lineNot                   # alternative: raw line rule (comment lines skipped)
 *   flags: 'i'                       # default 'i'
 * The finding is at the key's line (the item's line for sequence items).
 */
import type * as YamlModule from 'yaml';
import { lazyRequire } from '../../core/index.js';
import { createKeyTreeAnalyzer, type ParsedTree, type TreeEntry } from '../common/key-tree.js';

export { pathMatches, type TreeEntry } from '../common/key-tree.js';

type YamlNode = YamlModule.Node;

// The parser is required on the first file that needs it, not with the analyzer: a warm re-scan,
// or a scan with no YAML file, never loads it.
const yamlParser = lazyRequire<typeof YamlModule>('yaml');


export function parseYaml(text: string): ParsedTree {
  const { LineCounter, isAlias, isMap, isPair, isScalar, isSeq, parseAllDocuments } = yamlParser();
  const lineCounter = new LineCounter();
  const entries: TreeEntry[] = [];
  const errors: { message: string; line?: number }[] = [];
  const docs = parseAllDocuments(text, { lineCounter, uniqueKeys: false, prettyErrors: false, strict: false });
  const list = Array.isArray(docs) ? docs : [];
  const pos = (offset: number | undefined) => lineCounter.linePos(offset ?? 0);
  const scalarText = (n: unknown): string | undefined => (isScalar(n) ? (n.value === null ? '' : String(n.value)) : undefined);
  list.forEach((doc, di) => {
    for (const e of doc.errors) errors.push({ message: `YAML: ${e.message.split('\n')[0]}`, line: e.linePos?.[0].line });
    const walk = (node: unknown, path: string[], depth: number) => {
      if (depth > 200 || isAlias(node)) return;
      if (isMap(node)) {
        for (const pair of node.items) {
          if (!isPair(pair)) continue;
          const key = scalarText(pair.key);
          if (key === undefined || key === '<<') continue;
          const keyNode = pair.key as YamlNode;
          const p = pos(keyNode.range?.[0]);
          const entry: TreeEntry = { path: [...path, key], line: p.line, column: p.col, doc: di };
          const v = scalarText(pair.value);
          if (v !== undefined) entry.value = v;
          entries.push(entry);
          walk(pair.value, entry.path, depth + 1);
        }
      } else if (isSeq(node)) {
        node.items.forEach((item, i) => {
          const p = pos((item as YamlNode | null)?.range?.[0]);
          const entry: TreeEntry = { path: [...path, String(i)], line: p.line, column: p.col, doc: di };
          const v = scalarText(item);
          if (v !== undefined) entry.value = v;
          entries.push(entry);
          walk(item, entry.path, depth + 1);
        });
      }
    };
    walk(doc.contents, [], 0);
  });
  return { entries, errors };
}

export const yamlAnalyzer = createKeyTreeAnalyzer({
  id: 'yaml',
  description: 'YAML (all documents of a stream): key paths and scalar values at their exact lines',
  exampleFile: 'config.yaml',
  handles: (path) => /\.ya?ml$/i.test(path),
  parse: parseYaml,
  commentLine: /^\s*#/,
});
