/**
 * The `properties` analyzer: Java `.properties` files (application/config/logging/quartz/mod_jk
 * workers…) parsed into key/value entries with exact lines, so a rule says "a key like X whose
 * value looks like Y" instead of grepping lines that may be comments or continuations.
 *
 * match:
 *   analyzer: properties
 *   key: 'password$'           # regex on the unescaped key (case-insensitive unless `flags` says otherwise)
 *   keyNot: '^log4j\.'         # optional: keys never reported
 *   value: '^jdbc:h2:file:'    # regex on the unescaped value; named groups become captures
 *   valueNot: '\$\{'           # optional: values never reported (placeholders, …)
 *   captureValue: false        # optional: keep the value out of captures (secrets)
 *   line: 'regex'              # alternative: a raw line rule (comment lines skipped)
 *   lineNot: 'regex'
 *   flags: 'i'                 # regex flags for all of the above, default 'i'
 * The finding is at the key's line.
 */
import type { Analyzer, AnalyzerRule, FileAnalysis, SourceFile } from '../../core/index.js';
import { keyValueMatches, validateKeyValue, type KeyValueFormat } from '../common/key-value.js';
import { parseProperties, type PropertyEntry } from './parse.js';

export { parseProperties, type PropertyEntry } from './parse.js';

// java.util.Properties keeps a value's trailing blanks and value regexes see them, but a captured value
// drops them: in a finding's message they are invisible.
const PROPERTIES_FORMAT: KeyValueFormat<PropertyEntry> = { commentLine: /^\s*[#!]/, capturedValue: (e) => e.value.trim() };

export const propertiesAnalyzer: Analyzer = {
  id: 'properties',
  description: 'Java .properties files: keys and values (continuations and escapes resolved) at their exact lines',
  exampleFile: 'application.properties',
  handles: (path) => path.toLowerCase().endsWith('.properties'),
  validate: (match) => validateKeyValue(match, 'properties'),
  analyze: (file: SourceFile, rules: AnalyzerRule[]): FileAnalysis => ({ matches: keyValueMatches(file.text, parseProperties(file.text), rules, PROPERTIES_FORMAT) }),
};
