/** reports' public surface: pure views of one ScanResult, and the one dispatch by format name. */
import type { ReportFormat, ScanResult } from '../core/index.js';
import { renderGitlab } from './gitlab.js';
import { renderHtml } from './html/index.js';
import { renderJson } from './json.js';
import { renderMarkdown } from './markdown.js';
import { renderSarif } from './sarif.js';
import { renderText } from './text.js';

export { renderJson } from './json.js';
export { renderText } from './text.js';
export { renderSarif, SARIF_LEVEL, FINGERPRINT_KEY } from './sarif.js';
export { renderMarkdown } from './markdown.js';
export { renderGitlab, gitlabSeverity } from './gitlab.js';
export { renderHtml, renderMarkdownSafe, buildHtmlView, type HtmlContext } from './html/index.js';

/** File names used with --out-dir (fixed, so CI steps can refer to them). */
export const OUT_DIR_FILE_NAMES: Record<ReportFormat, string> = {
  text: 'paasport-report.txt',
  json: 'paasport-report.json',
  sarif: 'paasport-report.sarif',
  html: 'paasport-report.html',
  markdown: 'paasport-report.md',
  gitlab: 'gl-code-quality.json',
};

export interface ReportContext {
  /** text format only: ANSI colours */
  color?: boolean;
  /** html only: template name → text (reports/html/templates/*.hbs) */
  templates?: Record<string, string>;
  /** html only: the date shown (defaults to the scan's start) */
  generatedAt?: string;
}

export function renderReport(format: ReportFormat, result: ScanResult, ctx: ReportContext = {}): string {
  switch (format) {
    case 'text':
      return renderText(result, { color: ctx.color ?? false });
    case 'json':
      return renderJson(result);
    case 'sarif':
      return renderSarif(result);
    case 'markdown':
      return renderMarkdown(result);
    case 'gitlab':
      return renderGitlab(result);
    case 'html':
      if (!ctx.templates) throw new Error('the HTML report needs its templates (ctx.templates)');
      return renderHtml(result, { templates: ctx.templates, ...(ctx.generatedAt ? { generatedAt: ctx.generatedAt } : {}) });
  }
}
