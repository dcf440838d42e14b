/**
 * `paasport generate` as a pure function: scan result + options → files. The plan, the config
 * overlay, the adapters for the concerns found, the platform manifests and (optionally) patches.
 */
import type { Concern, ScanResult } from '../core/index.js';
import { collectEnvReads } from './env-reads.js';
import { addEnvReads, adapterEnv, isEmbeddedDatabase, planEnv } from './env-vars.js';
import { generateJava, jdbcEnvPrefix, jndiNames } from './java/index.js';
import { dockerNeeds, generateImageNeeds, imageNeeds } from './image-needs.js';
import { planLongRunning } from './jobs.js';
import { defaultAppPort, generateManifests } from './manifests.js';
import { bindBrokerUrls, generateMessaging, messagingEnv } from './messaging.js';
import { envExample, migrationPlan } from './migration.js';
import { generateNode } from './node/index.js';
import { Output } from './output.js';
import { generateOverlays } from './overlays.js';
import { generatePatches } from './patches.js';
import { shimFiles } from './shim.js';
import type { Context, GeneratedFile, GenerateOptions, JavaContainer, Runtime } from './types.js';

export type { GeneratedFile, GenerateOptions, Runtime, JavaContainer, ShimBundle } from './types.js';
export { isSafeRelativePath } from './output.js';
export { envSyntaxOf, mayReadEnv } from './env-reads.js';

/** What kind of app this is, from the tree's file names (no file is read). */
export function detectRuntime(files: readonly string[], result: ScanResult): Runtime {
  const all = [...files, ...result.findings.map((f) => f.file)];
  const java = all.filter((f) => /\.java$|(^|\/)(pom\.xml|build\.gradle(\.kts)?)$|\.(jsp|war)$/.test(f)).length;
  const node = all.filter((f) => /(^|\/)package\.json$|\.(c|m)?[jt]s$/.test(f) && !/(^|\/)node_modules\//.test(f)).length;
  // A Java app often carries a package.json for its front-end build; Java sources decide.
  if (java === 0 || (node > java * 4 && !all.some((f) => f.endsWith('.java')))) return { language: 'node' };
  let container: JavaContainer = 'jar';
  if (all.some((f) => /(^|\/)src\/main\/liberty\/|(^|\/)wlp\/|ibm-web-bnd\.xml$|ibm-ejb-jar-bnd\.xml$/.test(f))) container = 'liberty';
  else if (all.some((f) => /(^|\/)(standalone(-[\w-]+)?\.xml|jboss-web\.xml|jboss-deployment-structure\.xml|[\w-]+-ds\.xml)$/.test(f))) container = 'wildfly';
  else if (all.some((f) => /(^|\/)(META-INF\/context\.xml|catalina\.properties)$|(^|\/)WEB-INF\/web\.xml$/.test(f))) container = 'tomcat';
  return { language: 'java', container };
}

export function buildContext(result: ScanResult, options: GenerateOptions): Context {
  const files = [...(options.files ?? [])].sort();
  const findings = result.findings
    .filter((f) => !f.suppressed)
    .sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line || (a.ruleId < b.ruleId ? -1 : a.ruleId > b.ruleId ? 1 : 0)));
  const runtime = options.runtime ?? detectRuntime(files, result);
  const concerns = new Set<Concern>(findings.map((f) => f.concern));
  const extra = [...adapterEnv(concerns, options.name, findings), ...messagingEnv(findings)];
  if (runtime.language === 'java') {
    for (const jndi of jndiNames({ findings })) {
      const p = jdbcEnvPrefix(jndi);
      extra.push({ name: `${p}_URL`, secret: false, default: 'jdbc:REPLACE_ME', description: `JDBC URL replacing the JNDI DataSource ${jndi}`, usages: [], origin: 'adapter' });
      extra.push({ name: `${p}_USER`, secret: false, default: '', description: `database user for ${jndi}`, usages: [], origin: 'adapter' });
      extra.push({ name: `${p}_PASSWORD`, secret: true, description: `database password for ${jndi}`, usages: [], origin: 'adapter' });
    }
    if (runtime.container === 'wildfly' && concerns.has('session-state')) {
      extra.push({ name: 'INFINISPAN_HOST', secret: false, default: 'infinispan', description: 'Infinispan / Data Grid server holding the sessions', usages: [], origin: 'adapter' });
      extra.push({ name: 'INFINISPAN_PORT', secret: false, default: '11222', description: 'HotRod port', usages: [], origin: 'adapter' });
    }
  }
  const ctx: Context = {
    options: { patch: false, ...options },
    runtime,
    appPort: 0,
    healthPort: 8558,
    drainSeconds: 5,
    graceSeconds: 20,
    findings,
    files,
    sources: options.sources ?? {},
    env: planEnv(findings, extra),
  };
  ctx.appPort = options.appPort ?? defaultAppPort(ctx);
  addEnvReads(ctx.env, collectEnvReads(ctx.sources, runtime), { node: runtime.language === 'node', appPort: ctx.appPort });
  bindBrokerUrls(ctx);
  return ctx;
}

export function generate(result: ScanResult, options: GenerateOptions): GeneratedFile[] {
  const ctx = buildContext(result, options);
  const out = new Output();
  const concerns = new Set<Concern>(ctx.findings.map((f) => f.concern));
  const { jobs, notes: jobNotes } = planLongRunning(ctx);

  shimFiles(ctx.options.shim, out);
  generateOverlays(ctx, out);
  for (const f of ctx.findings) {
    if (f.concern !== 'local-credentials' || ctx.env.byFinding.has(f.id)) continue;
    out.note('local-credentials', /(^|\/)\.(github|gitlab|circleci)\//.test(f.file) ? `${f.file}:${f.line}: a CI definition; move the credential to the CI system's secret store.` : `${f.file}:${f.line}: move the credential out of the code into the Secret by hand (no key to name a variable after).`);
  }
  if (ctx.runtime.language === 'java') generateJava(ctx, out, concerns, jobs);
  else generateNode(ctx, out, concerns, jobs);

  const logFiles = [...new Set(ctx.findings.filter((f) => f.concern === 'file-logging' && f.captures?.value?.startsWith('/')).map((f) => f.captures!.value!))].sort();
  const needs = imageNeeds(ctx);
  const manifests = generateManifests(ctx, jobs, logFiles, concerns.has('hardware-load-balancer'), out.files.map((f) => f.path).filter((p) => p.startsWith('overlays/')), dockerNeeds(needs));
  // the broker's connection settings live in the ConfigMap, the Secret and .env.example
  const messagingVars = messagingEnv(ctx.findings).length > 0;
  for (const m of manifests) {
    const topics: Array<Concern | 'platform'> = ['platform'];
    if (m.path === 'k8s/ingress.yaml' || m.path === 'k8s/service.yaml') topics.push('hardware-load-balancer');
    if (m.path === 'k8s/configmap.yaml') topics.push('host-bound-config');
    if (m.path === 'k8s/secret.template.yaml') topics.push('local-credentials');
    if ((m.path === 'k8s/configmap.yaml' || m.path === 'k8s/secret.template.yaml') && messagingVars) topics.push('messaging');
    if (m.path.startsWith('k8s/cronjob-')) topics.push('long-running-task');
    if (m.path === 'k8s/deployment.yaml' || m.path === 'paasport-shim.yaml') topics.push('health-check', 'graceful-shutdown');
    out.add(m.path, m.contents, topics.filter((t) => t === 'platform' || concerns.has(t as Concern)));
  }
  if (concerns.has('hardware-load-balancer')) out.note('hardware-load-balancer', 'Remove the load-balancer and sticky-session configuration the scan listed; k8s/ingress.yaml routes to any ready replica. Cookie affinity is there, commented out, only as a stopgap until sessions are external.');
  for (const j of jobs.filter((x) => x.shell !== undefined)) out.note('long-running-task', `${j.finding.file}:${j.finding.line}: runs as k8s/cronjob-${j.name}.yaml (sh -c in the app image): put the script it calls in the image, and drop the host's crontab line.`);
  for (const n of jobNotes) out.note('long-running-task', n);
  for (const f of ctx.findings.filter((x) => x.concern === 'local-storage' && isEmbeddedDatabase(x))) {
    out.note('local-storage', `${f.file}:${f.line}: an embedded database keeps its data on the instance; move it to a managed database bound by URL (${ctx.env.byFinding.get(f.id)?.name ?? 'an environment variable'}).`);
  }
  if (concerns.has('health-check')) out.note('health-check', `Start the app through the runtime shim (the Dockerfile's ENTRYPOINT does): it serves /healthz and /readyz on port ${ctx.healthPort}; an app route that checks its own dependencies can be wired in with healthUrl in paasport-shim.yaml.`);
  if (concerns.has('graceful-shutdown')) out.note('graceful-shutdown', `The shim stops routing, waits ${ctx.drainSeconds}s, then sends SIGTERM and waits ${ctx.graceSeconds}s; handle SIGTERM in the app (close the server, finish in-flight work) so those seconds are used.`);
  if (concerns.has('local-credentials')) out.note('local-credentials', 'Rotate every credential the scan found: it has been in the code or config, so treat it as leaked. Put the new values in the Secret, never in the repository.');
  out.add('.env.example', envExample(ctx), ['host-bound-config', 'local-credentials', 'messaging'].filter((c) => concerns.has(c as Concern)) as Concern[]);
  generateMessaging(ctx, out);
  generateImageNeeds(ctx, out, needs);

  if (ctx.options.patch) generatePatches(ctx, out);
  out.add('MIGRATION.md', migrationPlan(result, ctx, out));
  return [...out.files].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}
