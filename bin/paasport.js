#!/usr/bin/env node
// The CLI is compiled by `npm run build` (run by `npm ci` through `prepare`).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
const main = new URL('../dist/cli/main.js', import.meta.url);
if (!existsSync(fileURLToPath(main))) {
  process.stderr.write('paasport: not built yet; run `npm ci` (or `npm run build`) in the paasport folder first\n');
  process.exit(2);
}
if (process.argv[2] === 'run') {
  // `paasport run` is a container entry point: start the runtime shim without loading the scanner,
  // which takes seconds (cli/main.ts hands `run` over the same way when imported directly).
  const { runFromArgv } = await import(new URL('../dist/runtime-shim/main.js', import.meta.url).href);
  process.exit(await runFromArgv(process.argv.slice(3)));
}
await import(main.href);
