/** The runtime shim's public surface. An island: node built-ins only, nothing else from paasport. */
export * from './config.js';
export * from './render.js';
export * from './health.js';
export * from './logs.js';
export * from './etcd.js';
export * from './supervisor.js';
export * from './zombies.js';
export { runFromArgv, runShim } from './main.js';
