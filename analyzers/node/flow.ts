/**
 * Flow-typed sources (`// @flow`, common in 2016–2019 Node code) are not TypeScript: casts such as
 * `(x: any)` and `?string` do not parse. flow-remove-types blanks the annotations with whitespace, so
 * every remaining token keeps its line and column and findings still point at the original text.
 * It is loaded only when a file needs it (its parser is large).
 */
import { createRequire } from 'node:module';

type FlowRemoveTypes = (source: string, options?: { all?: boolean; pretty?: boolean }) => { toString(): string };

let remover: FlowRemoveTypes | null | undefined;

export function looksLikeFlow(text: string): boolean {
  return /^\s*(\/\/|\/\*+|\*)\s*@flow\b/m.test(text.slice(0, 2048));
}

/** The source with Flow annotations blanked out, or undefined when it is not valid Flow either. */
export function stripFlow(text: string): string | undefined {
  if (remover === undefined) {
    try {
      remover = createRequire(import.meta.url)('flow-remove-types') as FlowRemoveTypes;
    } catch {
      remover = null;
    }
  }
  if (!remover) return undefined;
  try {
    return remover(text, { all: true, pretty: false }).toString();
  } catch {
    return undefined;
  }
}
