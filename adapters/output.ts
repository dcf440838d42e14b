/**
 * Collects what the generators produce: the files, which concern each file addresses (for the plan),
 * and the manual steps left. Paths are checked here so no generator can emit an unsafe one.
 */
import type { Concern } from '../core/index.js';
import type { GeneratedFile } from './types.js';

export type Topic = Concern | 'platform';

/** A relative POSIX path that stays inside the output folder. */
export function isSafeRelativePath(p: string): boolean {
  if (p === '' || p.startsWith('/') || p.includes('\\') || p.includes('\0') || /^[A-Za-z]:/.test(p)) return false;
  return p.split('/').every((seg) => seg !== '' && seg !== '.' && seg !== '..');
}

export class Output {
  readonly files: GeneratedFile[] = [];
  readonly pieces = new Map<Topic, string[]>();
  readonly manual = new Map<Topic, string[]>();
  /** extra Markdown for a concern's part of the plan (tables of what to bind or install) */
  readonly sections = new Map<Topic, string[]>();

  add(path: string, contents: string, topics: readonly Topic[] = []): void {
    if (!isSafeRelativePath(path)) throw new Error(`generator produced an unsafe path: ${path}`);
    if (this.files.some((f) => f.path === path)) throw new Error(`generator produced ${path} twice`);
    this.files.push({ path, contents });
    for (const t of topics) this.piece(t, path);
  }

  piece(topic: Topic, path: string): void {
    const list = this.pieces.get(topic) ?? [];
    if (!list.includes(path)) list.push(path);
    this.pieces.set(topic, list);
  }

  section(topic: Topic, lines: readonly string[]): void {
    this.sections.set(topic, [...(this.sections.get(topic) ?? []), ...lines, '']);
  }

  note(topic: Topic, text: string): void {
    const list = this.manual.get(topic) ?? [];
    if (!list.includes(text)) list.push(text);
    this.manual.set(topic, list);
  }
}
