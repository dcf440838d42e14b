/**
 * A file's string-literal values, read without parsing, for the rules that can match nothing but a
 * literal. Their tokens are common words (host, server, token…) that select most files, while their
 * regexes only match values few files hold: when no value of the file can satisfy any of them, the
 * file need not be parsed at all.
 *
 * The values must be a superset of those the parse yields (tree.ts, and lexical.ts on damaged
 * lines), or a finding would be lost. Both decode a literal with `unquote` from the source text of a
 * tree-sitter `string_literal` token (lexical.ts: of what `stripComments` takes for one), and no
 * other fact carries a literal's value into a literal pattern (no concatenation, no constant
 * folding), so the same tokens decoded the same way are exactly those values. Wherever this scan
 * and tree-sitter's lexer could cut the text differently, it answers `undefined` and the file is
 * parsed: an unterminated literal or comment, a line break inside a `"…"` literal (tree-sitter
 * accepts one), a string template's `\{…}` (which nests literals), a lone carriage return (a line
 * end to `stripComments`, not to tree-sitter's line comment), a character literal the two read
 * differently.
 */
import { unquote } from './facts.js';
import { BACKSLASH, DQUOTE, LBRACE, NEWLINE, QUOTE, RETURN, SLASH, STAR } from './chars.js';


const LONE_CR = /\r(?!\n)/;

/** The decoded values of every string literal in `text`, or `undefined` when the scan cannot vouch for them. */
export function literalValues(text: string): string[] | undefined {
  if (LONE_CR.test(text)) return undefined;
  const n = text.length;
  const out: string[] = [];
  // Next occurrence of each character that can open a literal or a comment, refreshed only once
  // passed, so a file without any `'` is not searched to its end again and again.
  let nextD = -1;
  let nextQ = -1;
  let nextS = -1;
  let i = 0;
  while (i < n) {
    if (nextD < i && nextD !== n) nextD = at(text.indexOf('"', i), n);
    if (nextQ < i && nextQ !== n) nextQ = at(text.indexOf("'", i), n);
    if (nextS < i && nextS !== n) nextS = at(text.indexOf('/', i), n);
    i = Math.min(nextD, nextQ, nextS);
    if (i >= n) break;
    const c = text.charCodeAt(i);
    if (c === SLASH) {
      const d = text.charCodeAt(i + 1);
      if (d === SLASH) {
        const eol = text.indexOf('\n', i + 2);
        if (eol < 0) break;
        i = eol + 1;
      } else if (d === STAR) {
        const close = text.indexOf('*/', i + 2);
        if (close < 0) return undefined;
        i = close + 2;
      } else i++;
    } else if (c === QUOTE) {
      let j = i + 1;
      for (;;) {
        if (j >= n) return undefined;
        const e = text.charCodeAt(j);
        if (e === BACKSLASH) j += 2;
        else if (e === QUOTE) break;
        else if (e === NEWLINE || e === RETURN) return undefined;
        else j++;
      }
      // tree-sitter wants at least one character; stripComments looks for the closing quote after the first one (two after a backslash)
      if (j === i + 1 || j !== text.indexOf("'", i + (text.charCodeAt(i + 1) === BACKSLASH ? 3 : 2))) return undefined;
      i = j + 1;
    } else if (text.startsWith('"""', i)) {
      let j = i + 3;
      for (;;) {
        if (j >= n) return undefined;
        const e = text.charCodeAt(j);
        if (e === BACKSLASH) {
          if (text.charCodeAt(j + 1) === LBRACE) return undefined;
          j += 2;
        } else if (e === DQUOTE && text.startsWith('"""', j)) break;
        else j++;
      }
      out.push(unquote(text.slice(i, j + 3)));
      i = j + 3;
    } else {
      let j = i + 1;
      for (;;) {
        if (j >= n) return undefined;
        const e = text.charCodeAt(j);
        if (e === BACKSLASH) {
          const f = text.charCodeAt(j + 1);
          if (f === LBRACE || f === NEWLINE || f === RETURN) return undefined;
          j += 2;
        } else if (e === DQUOTE) break;
        else if (e === NEWLINE || e === RETURN) return undefined;
        else j++;
      }
      out.push(unquote(text.slice(i, j + 1)));
      i = j + 1;
    }
  }
  return out;
}

function at(index: number, n: number): number {
  return index < 0 ? n : index;
}

/** The value conditions of one `literal` pattern: a value it can match passes both. */
export interface LiteralTest {
  regex?: RegExp;
  unless?: RegExp;
}

/** Whether some value passes some of the tests (`regex` and `unless` are what patterns.ts tests on the value). */
export function anyValuePasses(values: string[], tests: LiteralTest[]): boolean {
  for (const t of tests) {
    for (const v of values) if ((!t.regex || t.regex.test(v)) && !(t.unless && t.unless.test(v))) return true;
  }
  return false;
}
