/**
 * A `.properties` reader that follows java.util.Properties#load exactly (logical lines joined by an
 * odd number of trailing backslashes, `#`/`!` comments, `=`/`:`/whitespace separators, `\uXXXX` and
 * single-character escapes) while remembering where each key and value starts, because findings
 * must point at the physical line a user would edit. Duplicate keys are all kept: Java keeps the
 * last one, but every occurrence is text someone wrote and may need to change.
 */

export interface PropertyEntry {
  key: string;
  value: string;
  /** 1-based line and column of the key's first character */
  line: number;
  column: number;
  /** 1-based line of the value's first character (differs from `line` after a continuation) */
  valueLine: number;
  /** last physical line of the logical line */
  endLine: number;
}

const WS = new Set([' ', '\t', '\f']);

function endsWithContinuation(s: string): boolean {
  let n = 0;
  for (let i = s.length - 1; i >= 0 && s[i] === '\\'; i--) n++;
  return n % 2 === 1;
}

function unescape(raw: string): string {
  let out = '';
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i]!;
    if (c !== '\\' || i === raw.length - 1) {
      out += c;
      continue;
    }
    const n = raw[++i]!;
    if (n === 'u' && /^[0-9a-fA-F]{4}$/.test(raw.slice(i + 1, i + 5))) {
      out += String.fromCharCode(parseInt(raw.slice(i + 1, i + 5), 16));
      i += 4;
    } else out += n === 't' ? '\t' : n === 'n' ? '\n' : n === 'r' ? '\r' : n === 'f' ? '\f' : n;
  }
  return out;
}

export function parseProperties(text: string): PropertyEntry[] {
  const lines = text.replace(/^\uFEFF/, '').split(/\r\n|\r|\n/);
  const entries: PropertyEntry[] = [];
  for (let i = 0; i < lines.length; i++) {
    const first = lines[i]!;
    let start = 0;
    while (start < first.length && WS.has(first[start]!)) start++;
    if (start === first.length || first[start] === '#' || first[start] === '!') continue;
    // Join the logical line, remembering where each physical piece begins in the joined string.
    const pieces: Array<{ line: number; offset: number }> = [{ line: i + 1, offset: 0 }];
    let logical = first.slice(start);
    let endLine = i + 1;
    while (endsWithContinuation(logical) && i + 1 < lines.length) {
      logical = logical.slice(0, -1);
      i++;
      endLine = i + 1;
      const next = lines[i]!.replace(/^[ \t\f]+/, '');
      pieces.push({ line: i + 1, offset: logical.length });
      logical += next;
    }
    if (endsWithContinuation(logical)) logical = logical.slice(0, -1);
    let k = 0;
    let rawKey = '';
    while (k < logical.length) {
      const c = logical[k]!;
      if (c === '\\' && k + 1 < logical.length) {
        rawKey += c + logical[k + 1];
        k += 2;
        continue;
      }
      if (c === '=' || c === ':' || WS.has(c)) break;
      rawKey += c;
      k++;
    }
    while (k < logical.length && WS.has(logical[k]!)) k++;
    if (k < logical.length && (logical[k] === '=' || logical[k] === ':')) k++;
    while (k < logical.length && WS.has(logical[k]!)) k++;
    const valueLine = [...pieces].reverse().find((p) => p.offset <= k)?.line ?? i + 1;
    entries.push({ key: unescape(rawKey), value: unescape(logical.slice(k)), line: pieces[0]!.line, column: start + 1, valueLine, endLine });
  }
  return entries;
}
