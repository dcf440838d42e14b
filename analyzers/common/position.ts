/**
 * 1-based line and column of an offset, given the offsets at which lines start (sorted, starting
 * with 0). Analyzers compute the line starts themselves, since what ends a line differs (JSON counts
 * a lone CR, tree-sitter only LF); the lookup is the same binary search everywhere.
 */
export function positionAt(starts: readonly number[], offset: number): { line: number; column: number } {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid]! <= offset) lo = mid;
    else hi = mid - 1;
  }
  return { line: lo + 1, column: offset - starts[lo]! + 1 };
}
