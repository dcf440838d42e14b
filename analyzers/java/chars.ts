/** Character codes the Java analyzer's hand-written scanners (tree.ts, literals.ts) compare against. */
export const NEWLINE = 10;
export const RETURN = 13;
export const SPACE = 32;
export const DQUOTE = 34;
export const QUOTE = 39;
export const STAR = 42;
export const SLASH = 47;
export const BACKSLASH = 92;
export const LBRACE = 123;
