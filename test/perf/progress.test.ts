/** The progress bar is for a person at a terminal: never in pipes, CI logs or with --quiet. */
import { describe, expect, it } from 'vitest';
import { progressEnabled } from '../../cli/progress.js';
import { runCli, tempDir, writeTree } from '../helpers.js';

const tty = { isTTY: true } as NodeJS.WriteStream;
const pipe = { isTTY: false } as NodeJS.WriteStream;

describe('progress bar', () => {
  it('shows only on a terminal, without --quiet, outside CI', () => {
    expect(progressEnabled({}, {}, tty)).toBe(true);
    expect(progressEnabled({ quiet: true }, {}, tty)).toBe(false);
    expect(progressEnabled({}, { CI: 'true' }, tty)).toBe(false);
    expect(progressEnabled({}, {}, pipe)).toBe(false);
  });

  it('leaves stderr empty when it is not a terminal', { timeout: 300_000 }, () => {
    const root = tempDir();
    writeTree(root, { 'a/app.properties': 'db.url=jdbc:mysql://10.0.0.5:3306/shop\n' });
    const r = runCli(['scan', root, '--no-cache', '--format', 'json'], { env: { CI: '' } });
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
  });
});
