/**
 * Hostile-input-safe XML → a light element tree with lines and columns.
 *
 * Safety: saxes is a non-validating parser that never fetches a DTD or an external entity and
 * never expands entities declared in a DOCTYPE (it only knows the five predefined ones). On top of
 * that, any document that declares an entity (`<!ENTITY`) is refused before parsing: no legitimate
 * descriptor needs one, and refusing outright means neither XXE (external entities naming local
 * files or URLs) nor billion-laughs expansion can ever be reached through a later change of parser.
 * Parse errors never abort: the tree recovered so far is kept and the first errors are reported.
 */
import type * as SaxesModule from 'saxes';
import { lazyRequire } from '../../core/index.js';

// The parser is required on the first file that needs it, not with the analyzer: a warm re-scan,
// or a scan with no such file, never loads it.
const saxes = lazyRequire<typeof SaxesModule>('saxes');

export interface XmlAttribute {
  name: string;
  value: string;
  line: number;
  column: number;
}

export interface XmlElement {
  /** qualified name as written (`task:scheduled`) */
  name: string;
  /** name without prefix (`scheduled`) */
  local: string;
  attrs: XmlAttribute[];
  line: number;
  column: number;
  endLine: number;
  children: XmlElement[];
  /** concatenated direct text and CDATA, trimmed */
  text: string;
  parent?: XmlElement;
}

export interface XmlParse {
  root?: XmlElement;
  /** every element in document order */
  elements: XmlElement[];
  errors: { message: string; line?: number }[];
  /** entity declarations were found and the document was not parsed */
  refused: boolean;
}

const MAX_ERRORS = 3;
const MAX_DEPTH = 500;

/** Replaces comments (and their content) with spaces, keeping every newline so lines still line up. */
export function maskComments(text: string): string {
  return text.replace(/<!--[\s\S]*?(?:-->|$)/g, (m) => m.replace(/[^\r\n]/g, ' '));
}

function lineOfOffset(text: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset && i < text.length; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}

export function parseXml(text: string): XmlParse {
  const src = text.replace(/^\uFEFF/, '');
  const entityAt = maskComments(src).search(/<!ENTITY/i);
  if (entityAt >= 0) {
    return {
      elements: [],
      refused: true,
      errors: [{ message: 'XML declares entities (<!ENTITY): not parsed, to rule out external-entity reads and entity expansion; only line rules were applied', line: lineOfOffset(src, entityAt) }],
    };
  }
  const lines = src.split(/\r\n|\r|\n/);
  const parser = new (saxes().SaxesParser)({ xmlns: false, position: true });
  const elements: XmlElement[] = [];
  const errors: XmlParse['errors'] = [];
  let errorCount = 0;
  const stack: XmlElement[] = [];
  let root: XmlElement | undefined;
  let pendingAttrs: XmlAttribute[] = [];
  let textParts: string[][] = [];

  const findColumn = (line: number, needle: string, before?: number): number => {
    const l = lines[line - 1] ?? '';
    const idx = before === undefined ? l.indexOf(needle) : l.lastIndexOf(needle, before);
    return idx >= 0 ? idx + 1 : 1;
  };

  parser.on('error', (err) => {
    const message = `XML: ${err.message.replace(/^(?:[^:\n]*:)?\d+:\d+: /, '')}`;
    // saxes may report the same problem again while recovering; once is enough.
    if (errors.some((e) => e.message === message && e.line === parser.line)) return;
    errorCount++;
    if (errors.length < MAX_ERRORS) errors.push({ message, line: parser.line });
  });
  parser.on('opentagstart', (node) => {
    pendingAttrs = [];
    const line = parser.line;
    const el: XmlElement = {
      name: node.name,
      local: node.name.includes(':') ? node.name.slice(node.name.indexOf(':') + 1) : node.name,
      attrs: pendingAttrs,
      line,
      column: findColumn(line, `<${node.name}`, parser.column),
      endLine: line,
      children: [],
      text: '',
    };
    const parent = stack[stack.length - 1];
    if (parent) {
      el.parent = parent;
      parent.children.push(el);
    } else if (!root) root = el;
    elements.push(el);
    stack.push(el);
    textParts.push([]);
    if (stack.length > MAX_DEPTH) throw new Error(`XML nesting deeper than ${MAX_DEPTH} elements`);
  });
  parser.on('attribute', (attr) => {
    let line = parser.line;
    // A multi-line value leaves the parser below the attribute name; walk back to the name.
    const re = new RegExp(`(^|\\s)${attr.name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s*=`);
    while (line > 1 && !re.test(lines[line - 1] ?? '')) line--;
    const m = re.exec(lines[line - 1] ?? '');
    pendingAttrs.push({ name: attr.name, value: attr.value, line, column: m ? m.index + m[1]!.length + 1 : 1 });
  });
  parser.on('text', (t) => textParts[textParts.length - 1]?.push(t));
  parser.on('cdata', (t) => textParts[textParts.length - 1]?.push(t));
  parser.on('closetag', () => {
    const el = stack.pop();
    const parts = textParts.pop();
    if (el) {
      el.endLine = parser.line;
      el.text = (parts ?? []).join('').trim();
    }
  });
  try {
    parser.write(src).close();
  } catch (e) {
    errors.push({ message: `XML: ${(e as Error).message}`, line: parser.line });
  }
  if (errorCount > errors.length) errors.push({ message: `XML: ${errorCount - errors.length} more parse errors` });
  const out: XmlParse = { elements, errors, refused: false };
  if (root) out.root = root;
  return out;
}
