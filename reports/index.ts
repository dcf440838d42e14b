/** reports' public surface: pure views of one ScanResult. */
export { renderJson } from './json.js';
export { renderText } from './text.js';
