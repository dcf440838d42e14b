/**
 * Unified diffs (git flavour) from line edits. The generators know exactly which lines they change,
 * so hunks are built from the edits themselves rather than by diffing whole files.
 */

export interface LineEdit {
  /** 0-based index of the first original line replaced (or the insertion point) */
  start: number;
  /** original lines removed */
  remove: number;
  /** lines inserted in their place (without line terminators) */
  insert: string[];
}

function splitLines(text: string): { lines: string[]; finalNewline: boolean } {
  const finalNewline = text.endsWith('\n');
  const body = finalNewline ? text.slice(0, -1) : text;
  return { lines: body === '' && finalNewline ? [''] : body === '' ? [] : body.split('\n'), finalNewline };
}

const NO_NL = '\\ No newline at end of file';

/** Applies edits (non-overlapping) to a text: what the diff describes. */
export function applyEdits(text: string, edits: LineEdit[]): string {
  const { lines, finalNewline } = splitLines(text);
  const sorted = [...edits].sort((a, b) => b.start - a.start);
  for (const e of sorted) lines.splice(e.start, e.remove, ...e.insert);
  return lines.join('\n') + (finalNewline ? '\n' : '');
}

export function unifiedDiff(file: string, text: string, edits: LineEdit[], context = 3): string {
  if (edits.length === 0) return '';
  const { lines, finalNewline } = splitLines(text);
  const sorted = [...edits].sort((a, b) => a.start - b.start);
  for (let i = 1; i < sorted.length; i++) {
    if (sorted[i]!.start < sorted[i - 1]!.start + sorted[i - 1]!.remove) throw new Error(`overlapping edits in ${file}`);
  }
  // Group edits whose context windows touch into one hunk.
  const groups: LineEdit[][] = [];
  for (const e of sorted) {
    const g = groups[groups.length - 1];
    const last = g?.[g.length - 1];
    if (g && last && e.start - (last.start + last.remove) <= 2 * context) g.push(e);
    else groups.push([e]);
  }
  const out = [`diff --git a/${file} b/${file}`, `--- a/${file}`, `+++ b/${file}`];
  let delta = 0;
  for (const g of groups) {
    const first = g[0]!;
    const last = g[g.length - 1]!;
    const from = Math.max(0, first.start - context);
    const to = Math.min(lines.length, last.start + last.remove + context);
    const body: string[] = [];
    let oldCount = 0;
    let newCount = 0;
    const emit = (prefix: string, idx: number | undefined, line: string) => {
      body.push(`${prefix}${line}`);
      if (idx !== undefined && idx === lines.length - 1 && !finalNewline) body.push(NO_NL);
    };
    let i = from;
    for (const e of g) {
      for (; i < e.start; i++) {
        emit(' ', i, lines[i]!);
        oldCount++;
        newCount++;
      }
      for (let k = 0; k < e.remove; k++, i++) {
        emit('-', i, lines[i]!);
        oldCount++;
      }
      const endsFile = e.start + e.remove >= lines.length && !finalNewline;
      e.insert.forEach((l, k) => {
        body.push(`+${l}`);
        if (endsFile && k === e.insert.length - 1) body.push(NO_NL);
      });
      newCount += e.insert.length;
    }
    for (; i < to; i++) {
      emit(' ', i, lines[i]!);
      oldCount++;
      newCount++;
    }
    const oldStart = oldCount === 0 ? from : from + 1;
    const newStart = newCount === 0 ? from + delta : from + delta + 1;
    out.push(`@@ -${oldStart},${oldCount} +${newStart},${newCount} @@`, ...body);
    delta += newCount - oldCount;
  }
  return `${out.join('\n')}\n`;
}

/** A patch creating a new file. */
export function newFileDiff(file: string, contents: string): string {
  const { lines, finalNewline } = splitLines(contents);
  const body = lines.map((l) => `+${l}`);
  if (!finalNewline && body.length > 0) body.push(NO_NL);
  return [`diff --git a/${file} b/${file}`, 'new file mode 100644', '--- /dev/null', `+++ b/${file}`, `@@ -0,0 +1,${lines.length} @@`, ...body, ''].join('\n');
}
