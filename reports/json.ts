import type { ScanResult } from '../core/index.js';

/** The machine contract: the ScanResult as is (schema: reports/schema/report.schema.json). */
export function renderJson(result: ScanResult): string {
  return `${JSON.stringify(result, null, 2)}\n`;
}
