/**
 * The `json` analyzer: JSON and JSONC (comments, trailing commas) config files, parsed with
 * `jsonc-parser`, which recovers from errors and gives each node's offset; offsets become lines.
 * `package.json` and lockfiles are not read here: the Node analyzer owns them.
 *
 * match: the same shape as the yaml analyzer — path (dotted glob or segment list; array items are
 * segments named by index), key, keyNot, value, valueNot, document ({dotted path: regex}),
 * captureValue, line, lineNot, flags (default 'i'). The finding is at the property's key.
 */
import type * as JsoncModule from 'jsonc-parser';
import { lazyRequire } from '../../core/index.js';
import { createKeyTreeAnalyzer, type ParsedTree, type TreeEntry } from '../common/key-tree.js';
import { positionAt } from '../common/position.js';

type JsonNode = JsoncModule.Node;
type ParseError = JsoncModule.ParseError;

// The parser is required on the first file that needs it, not with the analyzer: a warm re-scan,
// or a scan with no such file, never loads it.
const jsonc = lazyRequire<typeof JsoncModule>('jsonc-parser');


function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10 || (c === 13 && text.charCodeAt(i + 1) !== 10)) starts.push(i + 1);
  }
  return starts;
}

export function parseJson(text: string): ParsedTree {
  const src = text.replace(/^\uFEFF/, ' ');
  const parseErrors: ParseError[] = [];
  const root = jsonc().parseTree(src, parseErrors, { allowTrailingComma: true, disallowComments: false, allowEmptyContent: true });
  const starts = lineStarts(src);
  const entries: TreeEntry[] = [];
  const scalar = (n: JsonNode | undefined): string | undefined =>
    n && (n.type === 'string' || n.type === 'number' || n.type === 'boolean' || n.type === 'null') ? String(n.value) : undefined;
  const walk = (node: JsonNode | undefined, path: string[], depth: number) => {
    if (!node || depth > 200) return;
    if (node.type === 'object') {
      for (const prop of node.children ?? []) {
        const [k, v] = prop.children ?? [];
        if (!k || typeof k.value !== 'string') continue;
        const entry: TreeEntry = { path: [...path, k.value], ...positionAt(starts, k.offset) };
        const s = scalar(v);
        if (s !== undefined) entry.value = s;
        entries.push(entry);
        walk(v, entry.path, depth + 1);
      }
    } else if (node.type === 'array') {
      (node.children ?? []).forEach((item, i) => {
        const entry: TreeEntry = { path: [...path, String(i)], ...positionAt(starts, item.offset) };
        const s = scalar(item);
        if (s !== undefined) entry.value = s;
        entries.push(entry);
        walk(item, entry.path, depth + 1);
      });
    }
  };
  walk(root, [], 0);
  const errors = parseErrors.map((e) => ({ message: `JSON: ${jsonc().printParseErrorCode(e.error)}`, line: positionAt(starts, e.offset).line }));
  return { entries, errors };
}

const NOT_OURS = /(^|\/)(package\.json|package-lock\.json|npm-shrinkwrap\.json)$/i;

export const jsonAnalyzer = createKeyTreeAnalyzer({
  id: 'json',
  description: 'JSON and JSONC config files (not package.json): key paths and scalar values at their exact lines',
  exampleFile: 'config.json',
  handles: (path) => /\.(json|jsonc)$/i.test(path) && !NOT_OURS.test(path),
  parse: parseJson,
  commentLine: /^\s*(\/\/|\/\*|\*)/,
});
