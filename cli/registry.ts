/**
 * The one place analyzers are wired in. Adding an analyzer = one line here; rules find it by id.
 */
import type { Analyzer } from '../core/index.js';
import { textAnalyzer } from '../analyzers/text/index.js';
import { javaAnalyzer } from '../analyzers/java/index.js';
import { nodeAnalyzer } from '../analyzers/node/index.js';
import { packageJsonAnalyzer } from '../analyzers/package-json/index.js';
import { propertiesAnalyzer } from '../analyzers/properties/index.js';
import { yamlAnalyzer } from '../analyzers/yaml/index.js';
import { jsonAnalyzer } from '../analyzers/json/index.js';
import { envAnalyzer } from '../analyzers/env/index.js';
import { xmlAnalyzer } from '../analyzers/xml/index.js';
import { opsAnalyzer } from '../analyzers/ops/index.js';
import { buildAnalyzer } from '../analyzers/build/index.js';

export const analyzers: Analyzer[] = [textAnalyzer, javaAnalyzer, nodeAnalyzer, packageJsonAnalyzer, propertiesAnalyzer, yamlAnalyzer, jsonAnalyzer, envAnalyzer, xmlAnalyzer, opsAnalyzer, buildAnalyzer];

export const analyzersById: ReadonlyMap<string, Analyzer> = new Map(analyzers.map((a) => [a.id, a]));
