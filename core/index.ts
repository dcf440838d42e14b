/** core's public surface: the model, the analyzer contract, the catalog and the engine. No I/O. */
export * from './model.js';
export * from './analyzer.js';
export * from './catalog/load.js';
export { ruleSchema } from './catalog/schema.js';
export * from './engine/plan.js';
export * from './engine/findings.js';
export * from './engine/scan.js';
export * from './summary.js';
export * from './testing/examples.js';
export * from './remedies.js';
export * from './score.js';
export * from './gate.js';
export * from './project-config.js';
export * from './engine/suppress.js';
export * from './lazy.js';
