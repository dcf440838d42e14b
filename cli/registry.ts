/**
 * The one place analyzers are wired in. Adding an analyzer = one line here; rules find it by id.
 */
import type { Analyzer } from '../core/index.js';
import { textAnalyzer } from '../analyzers/text/index.js';

export const analyzers: Analyzer[] = [textAnalyzer];

export const analyzersById: ReadonlyMap<string, Analyzer> = new Map(analyzers.map((a) => [a.id, a]));
