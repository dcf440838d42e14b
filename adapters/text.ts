/**
 * Strings taken from the scanned code (library names, commands, JNDI names) end up in comments of
 * generated files. They are untrusted: a newline in a Dockerfile comment would start an instruction.
 */

/** One printable line, at most `max` characters. */
export function oneLine(s: string, max = 120): string {
  // eslint-disable-next-line no-control-regex
  const flat = s.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g, ' ').replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

/** The lines around a finding (its own and `before` lines above), from the scanned file when the CLI passed it. */
export function around(source: string | undefined, line: number, before: number, after = 0): string {
  if (!source) return '';
  return source
    .split('\n')
    .slice(Math.max(0, line - 1 - before), line + after)
    .join('\n');
}
