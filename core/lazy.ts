/**
 * Values made on first use. Parsers and libraries are required when the first file (or report, or
 * rule file) needs them rather than at module load, so a warm re-scan, a JSON-only run or a worker
 * that never meets a YAML file does not pay for loading them. CommonJS `require` is synchronous, which
 * keeps the analyzers' `analyze()` synchronous too.
 */
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/** `make()`, run once, on the first call. */
export function once<T>(make: () => T): () => T {
  let made = false;
  let value: T;
  return () => {
    if (!made) {
      value = make();
      made = true;
    }
    return value;
  };
}

/** The package, required on the first call (every package paasport depends on resolves from here). */
export function lazyRequire<T>(specifier: string): () => T {
  return once(() => require(specifier) as T);
}
