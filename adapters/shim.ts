/**
 * The runtime shim travels with the generated files: the image copies `paasport-shim/` and runs
 * `node paasport-shim/main.js`, so building it needs nothing from npm (paasport is not published
 * there, and an image should not depend on a registry for its entry point anyway).
 */
import type { Output } from './output.js';
import type { ShimBundle } from './types.js';

export const SHIM_DIR = 'paasport-shim';
export const SHIM_ENTRY = 'main.js';

export function shimFiles(shim: ShimBundle, out: Output): void {
  const names = Object.keys(shim.files).sort();
  if (!names.includes(SHIM_ENTRY)) throw new Error(`runtime shim bundle has no ${SHIM_ENTRY}`);
  for (const name of names) {
    // Flat ES modules only: anything else in the bundle means it was not built the way this expects.
    if (!/^[a-z][\w-]*\.js$/i.test(name)) throw new Error(`unexpected file in the runtime shim bundle: ${name}`);
    // The source maps stay behind, so their references go too.
    out.add(`${SHIM_DIR}/${name}`, shim.files[name]!.replace(/\n\/\/# sourceMappingURL=\S+\s*$/, '\n'), ['platform']);
  }
  // The files are ES modules; without this a plain `node main.js` would read them as CommonJS.
  out.add(`${SHIM_DIR}/package.json`, `${JSON.stringify({ name: 'paasport-shim', version: shim.version, private: true, type: 'module', main: SHIM_ENTRY, engines: { node: '>=20' } }, null, 2)}\n`, ['platform']);
  out.add(
    `${SHIM_DIR}/README.md`,
    [
      `# paasport runtime shim ${shim.version}`,
      '',
      `Copied by \`paasport generate\` from paasport ${shim.version} (its compiled \`runtime-shim/\`, \`dist/runtime-shim/*.js\`):`,
      'the `paasport run` entry point, ES modules that import only Node.js built-ins, so it needs no',
      '`npm install`. The Dockerfile copies this folder to `/opt/paasport/shim/` and starts the app with',
      `\`node /opt/paasport/shim/${SHIM_ENTRY} --config /etc/paasport/shim.yaml -- <app command>\`. Options: \`node ${SHIM_ENTRY} --help\`.`,
      '',
    ].join('\n'),
    ['platform'],
  );
}
