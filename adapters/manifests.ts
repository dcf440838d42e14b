/**
 * Platform manifests: the image (Dockerfile + shim config) and the Kubernetes objects that run it as
 * an isolated tenant. Every cross-reference (ports, labels, ConfigMap and Secret names) is computed
 * here once, so the tests can check that they agree.
 */
import type * as YamlModule from 'yaml';
import { lazyRequire } from '../core/index.js';
import type { EnvVar } from './env-vars.js';
import { dnsLabel, type Job } from './jobs.js';
import { SHIM_DIR, SHIM_ENTRY } from './shim.js';
import { oneLine } from './text.js';
import type { Context, GeneratedFile, Resources } from './types.js';

// Loaded when the first manifest is written, not with the adapters.
const yaml = lazyRequire<typeof YamlModule>('yaml');

export const SHIM_CONFIG = 'paasport-shim.yaml';
const SHIM_IN_IMAGE = '/etc/paasport/shim.yaml';
/** seconds preStop waits so endpoints drop the pod before the shim starts draining */
export const PRESTOP_SECONDS = 5;

export interface Names {
  app: string;
  namespace: string;
  configMap: string;
  secret: string;
  service: string;
  labels: Record<string, string>;
}

export function namesOf(ctx: Context): Names {
  const app = dnsLabel(ctx.options.name, 40);
  return {
    app,
    namespace: app,
    configMap: `${app}-config`,
    secret: `${app}-secrets`,
    service: app,
    labels: { 'app.kubernetes.io/name': app, 'app.kubernetes.io/managed-by': 'paasport' },
  };
}

function doc(obj: unknown, comment?: string): string {
  const body = yaml().stringify(obj, { lineWidth: 0, aliasDuplicateObjects: false });
  return comment ? `${comment.split('\n').map((l) => (l ? `# ${l}` : '#')).join('\n')}\n${body}` : body;
}

/** Multiplies a Kubernetes quantity (500m, 1, 512Mi, 1Gi) by n, keeping its unit. */
export function times(q: string, n: number): string {
  const m = /^(\d+(?:\.\d+)?)([A-Za-z]*)$/.exec(q);
  if (!m) throw new Error(`not a quantity: ${q}`);
  const v = Number(m[1]) * n;
  return `${Number.isInteger(v) ? v : Number(v.toFixed(3))}${m[2]}`;
}

export function terminationGrace(ctx: Context): number {
  // preStop, then the shim's drain and the app's grace, plus headroom before the kubelet's SIGKILL.
  return PRESTOP_SECONDS + ctx.drainSeconds + ctx.graceSeconds + 10;
}

function containerCommand(ctx: Context): string[] {
  if (ctx.runtime.language === 'node') {
    const main = ['server.js', 'app.js', 'index.js', 'bin/www', 'src/server.js', 'src/index.js', 'src/app.js'].find((f) => ctx.files.includes(f)) ?? 'server.js';
    return ['node', main];
  }
  switch (ctx.runtime.container) {
    case 'tomcat':
      return ['catalina.sh', 'run'];
    case 'wildfly':
      return ['/opt/jboss/wildfly/bin/standalone.sh', '-b', '0.0.0.0'];
    case 'liberty':
      return ['/opt/ol/wlp/bin/server', 'run', 'defaultServer'];
    default:
      return ['java', '-XX:MaxRAMPercentage=75', '-jar', '/opt/app/app.jar'];
  }
}

export function defaultAppPort(ctx: Pick<Context, 'runtime'>): number {
  if (ctx.runtime.language === 'node') return 3000;
  return ctx.runtime.container === 'liberty' ? 9080 : 8080;
}

function shimConfig(ctx: Context, names: Names, logFiles: string[]): string {
  const lines = [
    '# paasport run configuration (see docs/generate.md). The shim serves /healthz and /readyz on',
    '# healthPort, reports ready once appPort accepts connections, drains on SIGTERM, then stops the app.',
    `name: ${names.app}`,
    `healthPort: ${ctx.healthPort}`,
    `appPort: ${ctx.appPort}`,
    `drainSeconds: ${ctx.drainSeconds}`,
    `graceSeconds: ${ctx.graceSeconds}`,
  ];
  if (logFiles.length > 0) {
    lines.push('# log files the app still writes: streamed to stdout as JSON lines until its logging is switched to the console', 'log:');
    for (const f of logFiles) lines.push(`  - ${JSON.stringify(f)}`);
  }
  return `${lines.join('\n')}\n`;
}

/** The module that builds the deployable: where the server config lives, else the first module with a target. */
function deployModule(ctx: Context): string {
  const liberty = ctx.files.find((f) => /(^|\/)src\/main\/liberty\/config\/server\.xml$/.test(f));
  if (liberty) return liberty.slice(0, liberty.indexOf('src/main/liberty/'));
  const ear = ctx.files.find((f) => /(^|\/)src\/main\/application\/META-INF\/application\.xml$/.test(f));
  if (ear) return ear.slice(0, ear.indexOf('src/main/application/'));
  const web = ctx.files.find((f) => /(^|\/)src\/main\/webapp\/WEB-INF\/web\.xml$/.test(f));
  return web ? web.slice(0, web.indexOf('src/main/webapp/')) : '';
}

/** Where the image keeps the runtime shim, and how it starts it (exec form: SIGTERM reaches the shim, not a shell). */
const SHIM_HOME = '/opt/paasport/shim';
const NODE_BIN = '/usr/local/bin/node';
export const IMAGE_ENTRYPOINT = [NODE_BIN, `${SHIM_HOME}/${SHIM_ENTRY}`, '--config', SHIM_IN_IMAGE, '--'];

function dockerfile(ctx: Context, hasJobs: boolean, overlays: readonly string[], needs: readonly string[]): string {
  const outDir = ctx.options.outInContext ?? 'paasport-out';
  const mod = deployModule(ctx);
  const cmd = JSON.stringify(containerCommand(ctx));
  const entry = JSON.stringify(IMAGE_ENTRYPOINT);
  // The Java images have no node binary. The official Node image carries the nodejs.org Linux build,
  // which is built on RHEL 8: it needs glibc >= 2.28 and the system's libstdc++ (and libgcc_s), nothing
  // else. Debian, Ubuntu (the Temurin and Tomcat images) and UBI 8/9 all have a new enough glibc.
  const nodeStage = ['# Only its node binary is used: the runtime shim runs on it.', 'FROM node:20-bookworm-slim AS node', ''];
  const copyShim = [`COPY ${outDir}/${SHIM_DIR}/ ${SHIM_HOME}/`, `COPY ${outDir}/${SHIM_CONFIG} ${SHIM_IN_IMAGE}`];
  // The build fails here, not the pod at start, if the binary cannot run on this base.
  const nodeWorks = `RUN ["${NODE_BIN}", "--version"]`;
  const copyNode = [`COPY --from=node ${NODE_BIN} ${NODE_BIN}`, ...copyShim, nodeWorks];
  // UBI minimal (WildFly's base, Liberty's newer ones) may leave libstdc++ out: install it, as root,
  // with whichever of microdnf / dnf / yum the image has, only when node cannot start without it.
  const copyNodeUbi = [
    `COPY --from=node ${NODE_BIN} ${NODE_BIN}`,
    ...copyShim,
    '# node needs libstdc++, which UBI minimal may not have; installed only if node cannot start without it',
    'USER root',
    `RUN ${NODE_BIN} --version >/dev/null 2>&1 || { pm="$(command -v microdnf || command -v dnf || command -v yum)" && "$pm" install -y libstdc++ && "$pm" clean all; }`,
    nodeWorks,
  ];
  // What the scan found the app loads or runs from the system: the image author adds each (as root, before USER).
  const needsHere = (where: string) => (needs.length > 0 ? [`# The app needs these from the image (see MIGRATION.md); install or copy each ${where}:`, ...needs.map((n) => `# needs: ${n}`)] : []);
  const needsBlock = needsHere('here, before USER');
  const tail = [`EXPOSE ${ctx.appPort} ${ctx.healthPort}`, `ENTRYPOINT ${entry}`, `CMD ${cmd}`, ''];
  const head = [
    `# Build from the application's root: docker build -f ${outDir}/Dockerfile .`,
    `# The runtime shim (paasport run ${ctx.options.shim.version}) is ${outDir}/${SHIM_DIR}/: plain JavaScript on Node built-ins, nothing from npm.`,
    '',
  ];
  if (ctx.runtime.language === 'node') {
    return [
      ...head,
      'FROM node:20-bookworm-slim',
      'ENV NODE_ENV=production',
      'WORKDIR /app',
      ...copyShim,
      // native addons build during npm ci, so their toolchain has to be there first
      ...needsHere('here, before npm ci'),
      'COPY package*.json ./',
      'RUN npm ci --omit=dev && npm cache clean --force',
      'COPY --chown=node:node . .',
      '# the official image\'s unprivileged user (uid 1000)',
      'USER node',
      ...tail,
    ].join('\n');
  }
  const webMod = (() => {
    const web = ctx.files.find((f) => /(^|\/)src\/main\/webapp\/WEB-INF\/web\.xml$/.test(f));
    return web ? web.slice(0, web.indexOf('src/main/webapp/')) : mod;
  })();
  const jobClasses = hasJobs ? ['# exploded classes and libraries for the CronJobs, which run PlatformWorker outside the server', `COPY ${webMod}target/*/WEB-INF/ /opt/app/WEB-INF/`] : [];
  switch (ctx.runtime.container) {
    case 'tomcat':
      return [
        ...head,
        ...nodeStage,
        'FROM tomcat:10.1-jre17-temurin',
        '# ${VAR} in context.xml / server.xml resolve from the environment',
        'ENV JAVA_OPTS="-Dorg.apache.tomcat.util.digester.PROPERTY_SOURCE=org.apache.tomcat.util.digester.EnvironmentPropertySource -XX:MaxRAMPercentage=75"',
        ...copyNode,
        'RUN rm -rf /usr/local/tomcat/webapps/* && useradd --system --uid 10001 --home-dir /usr/local/tomcat app',
        `COPY ${mod}target/*.war /usr/local/tomcat/webapps/ROOT.war`,
        ...jobClasses,
        'RUN chown -R 10001:0 /usr/local/tomcat/webapps /usr/local/tomcat/work /usr/local/tomcat/temp /usr/local/tomcat/logs',
        ...needsBlock,
        'USER 10001',
        ...tail,
      ].join('\n');
    case 'wildfly':
      return [
        ...head,
        ...nodeStage,
        '# Eclipse Temurin on UBI 9 minimal; the image runs as jboss',
        'FROM quay.io/wildfly/wildfly:latest-jdk17',
        ...copyNodeUbi,
        `COPY --chown=jboss:jboss ${mod}target/*.[ew]ar /opt/jboss/wildfly/standalone/deployments/`,
        ...jobClasses,
        ...needsBlock,
        '# the image\'s unprivileged user',
        'USER jboss',
        ...tail,
      ].join('\n');
    case 'liberty':
      return [
        ...head,
        ...nodeStage,
        '# IBM Semeru (OpenJ9) on UBI; the image runs as 1001',
        'FROM icr.io/appcafe/open-liberty:full-java17-openj9-ubi',
        ...copyNodeUbi,
        // configure.sh must run as the server's user, or the files it writes are root's
        'USER 1001',
        `COPY --chown=1001:0 ${mod}src/main/liberty/config/ /config/`,
        // only when generate wrote Liberty config: COPY of a missing folder fails the build
        ...(overlays.some((o) => o.startsWith('overlays/liberty/')) ? [`COPY --chown=1001:0 ${outDir}/overlays/liberty/ /config/`] : []),
        // the overlay of the server's own config, with ${VAR} references, replaces the original
        ...(overlays.includes(`overlays/${mod}src/main/liberty/config/server.xml`) ? [`COPY --chown=1001:0 ${outDir}/overlays/${mod}src/main/liberty/config/server.xml /config/server.xml`] : []),
        `COPY --chown=1001:0 ${mod}target/*.[ew]ar /config/apps/`,
        ...jobClasses,
        'RUN configure.sh',
        ...(needs.length > 0 ? ['USER root', ...needsBlock] : []),
        '# the image\'s unprivileged user',
        'USER 1001',
        ...tail,
      ].join('\n');
    default:
      return [
        ...head,
        ...nodeStage,
        'FROM eclipse-temurin:17-jre',
        ...copyNode,
        'RUN useradd --system --uid 10001 app',
        `COPY ${mod}target/*.jar /opt/app/app.jar`,
        ...needsBlock,
        'USER 10001',
        ...tail,
      ].join('\n');
  }
}

function resources(u: Resources) {
  // Requests equal limits: Guaranteed QoS, and the ResourceQuota's arithmetic stays exact.
  return { requests: { cpu: u.cpu, memory: u.memory }, limits: { cpu: u.cpu, memory: u.memory } };
}

const SECURITY = {
  allowPrivilegeEscalation: false,
  capabilities: { drop: ['ALL'] },
};

function podSecurity(ctx: Context) {
  const uid = ctx.runtime.language === 'node' ? 1000 : ctx.runtime.language === 'java' && ctx.runtime.container === 'liberty' ? 1001 : ctx.runtime.language === 'java' && ctx.runtime.container === 'wildfly' ? 1000 : 10001;
  return { runAsNonRoot: true, runAsUser: uid, fsGroup: uid, seccompProfile: { type: 'RuntimeDefault' } };
}

function envFrom(names: Names, hasSecret: boolean) {
  const out: Array<Record<string, unknown>> = [{ configMapRef: { name: names.configMap } }];
  if (hasSecret) out.push({ secretRef: { name: names.secret } });
  return out;
}

export function jobCommand(ctx: Context, job: Job): string[] {
  // The job runs in its own pod: "localhost" is no longer the app, its Service is.
  if (job.shell !== undefined) return ['/bin/sh', '-c', job.shell.replace(new RegExp(`\\b(?:localhost|127\\.0\\.0\\.1):${ctx.appPort}\\b`, 'g'), namesOf(ctx).service)];
  if (ctx.runtime.language === 'node') return ['node', 'paasport/worker.js', job.name];
  const cp = ctx.runtime.container === 'jar' ? '/opt/app/app.jar' : '/opt/app/WEB-INF/classes:/opt/app/WEB-INF/lib/*';
  return ['java', '-XX:MaxRAMPercentage=75', '-cp', cp, 'io.paasport.platform.PlatformWorker', job.target];
}

export function generateManifests(ctx: Context, jobs: Job[], logFiles: string[], hasLoadBalancer: boolean, overlays: readonly string[] = [], imageNeeds: readonly string[] = []): GeneratedFile[] {
  const names = namesOf(ctx);
  const ns = names.namespace;
  const meta = (name: string, extra: Record<string, unknown> = {}) => ({ name, namespace: ns, labels: names.labels, ...extra });
  const configVars = ctx.env.vars.filter((v) => !v.secret);
  const secretVars = ctx.env.vars.filter((v) => v.secret);
  const hasSecret = secretVars.length > 0;
  const files: GeneratedFile[] = [];
  const add = (path: string, contents: string) => files.push({ path, contents });

  add(SHIM_CONFIG, shimConfig(ctx, names, logFiles));
  add('Dockerfile', dockerfile(ctx, jobs.some((j) => j.shell === undefined), overlays, imageNeeds));
  // BuildKit reads <Dockerfile>.dockerignore beside the Dockerfile, so the app root needs no edit.
  add('Dockerfile.dockerignore', ['.git', '**/node_modules', '**/*.log', '.paasport-cache', ''].join('\n'));

  const surge = 1;
  const tenantUnits = ctx.options.units + surge + jobs.length;
  add(
    'k8s/namespace.yaml',
    [
      doc(
        { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns, labels: { ...names.labels, 'pod-security.kubernetes.io/enforce': 'restricted' } } },
        'The app is a tenant: its own namespace, bounded by a quota, closed by default to other traffic.',
      ),
      doc(
        {
          apiVersion: 'v1',
          kind: 'ResourceQuota',
          metadata: meta(`${names.app}-quota`),
          spec: {
            hard: {
              'requests.cpu': times(ctx.options.unit.cpu, tenantUnits),
              'requests.memory': times(ctx.options.unit.memory, tenantUnits),
              'limits.cpu': times(ctx.options.unit.cpu, tenantUnits),
              'limits.memory': times(ctx.options.unit.memory, tenantUnits),
              pods: String(tenantUnits),
            },
          },
        },
        `${ctx.options.units} replicas + ${surge} rolling-update surge + ${jobs.length} job pod(s), one unit (${ctx.options.unit.cpu}, ${ctx.options.unit.memory}) each.`,
      ),
      doc({
        apiVersion: 'v1',
        kind: 'LimitRange',
        metadata: meta(`${names.app}-limits`),
        spec: { limits: [{ type: 'Container', default: { cpu: ctx.options.unit.cpu, memory: ctx.options.unit.memory }, defaultRequest: { cpu: ctx.options.unit.cpu, memory: ctx.options.unit.memory }, max: { cpu: ctx.options.unit.cpu, memory: ctx.options.unit.memory } }] },
      }),
      doc(
        { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: meta('default-deny-ingress'), spec: { podSelector: {}, policyTypes: ['Ingress'] } },
        'Nothing reaches the pods unless a policy below allows it. Egress stays open: the backing\nservices (database, Redis, object storage) live outside and their addresses are environment-specific.',
      ),
      doc({
        apiVersion: 'networking.k8s.io/v1',
        kind: 'NetworkPolicy',
        metadata: meta('allow-from-ingress'),
        spec: {
          podSelector: { matchLabels: { 'app.kubernetes.io/name': names.app } },
          policyTypes: ['Ingress'],
          ingress: [
            { from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'ingress-nginx' } } }], ports: [{ protocol: 'TCP', port: ctx.appPort }] },
            // The kubelet's probes come from the node, which NetworkPolicy does not filter; the health
            // port is named here so a CNI that does filter host traffic can be configured to match.
            { ports: [{ protocol: 'TCP', port: ctx.healthPort }] },
          ],
        },
      }),
    ].join('---\n'),
  );

  const probe = (path: string, period: number, failures: number) => ({ httpGet: { path, port: 'health' }, periodSeconds: period, failureThreshold: failures, timeoutSeconds: 2 });
  add(
    'k8s/deployment.yaml',
    doc(
      {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: meta(names.app),
        spec: {
          replicas: ctx.options.units,
          selector: { matchLabels: { 'app.kubernetes.io/name': names.app } },
          strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: surge, maxUnavailable: 0 } },
          template: {
            metadata: { labels: names.labels },
            spec: {
              automountServiceAccountToken: false,
              terminationGracePeriodSeconds: terminationGrace(ctx),
              securityContext: podSecurity(ctx),
              affinity: {
                podAntiAffinity: {
                  preferredDuringSchedulingIgnoredDuringExecution: [
                    { weight: 100, podAffinityTerm: { topologyKey: 'kubernetes.io/hostname', labelSelector: { matchLabels: { 'app.kubernetes.io/name': names.app } } } },
                  ],
                },
              },
              containers: [
                {
                  name: 'app',
                  image: ctx.options.image ?? `${names.app}:latest`,
                  ports: [
                    { name: 'http', containerPort: ctx.appPort, protocol: 'TCP' },
                    { name: 'health', containerPort: ctx.healthPort, protocol: 'TCP' },
                  ],
                  envFrom: envFrom(names, hasSecret),
                  env: [{ name: 'POD_IP', valueFrom: { fieldRef: { fieldPath: 'status.podIP' } } }],
                  resources: resources(ctx.options.unit),
                  startupProbe: probe('/readyz', 5, 60),
                  readinessProbe: probe('/readyz', 5, 3),
                  // 60 s of failures: longer than the shim's 30 s restart-delay cap, so Kubernetes never
                  // kills a container whose shim is only waiting out a backoff between app restarts.
                  livenessProbe: probe('/healthz', 10, 6),
                  lifecycle: { preStop: { exec: { command: ['sleep', String(PRESTOP_SECONDS)] } } },
                  securityContext: SECURITY,
                },
              ],
            },
          },
        },
      },
      `Probes hit the runtime shim (paasport run) on the health port. On termination: preStop waits ${PRESTOP_SECONDS}s for the\nendpoints to drop the pod, the shim drains ${ctx.drainSeconds}s and gives the app ${ctx.graceSeconds}s after SIGTERM; the grace period covers all three.`,
    ),
  );

  add(
    'k8s/service.yaml',
    doc({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: meta(names.service),
      spec: { selector: { 'app.kubernetes.io/name': names.app }, ports: [{ name: 'http', port: 80, targetPort: 'http', protocol: 'TCP' }] },
    }),
  );

  const ingress = doc(
    {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'Ingress',
      metadata: meta(names.app),
      spec: {
        ingressClassName: 'nginx',
        rules: [{ host: ctx.options.host ?? `${names.app}.example.com`, http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: names.service, port: { name: 'http' } } } }] } }],
      },
    },
    `Replaces the hardware load balancer: any ready replica serves any request (no stickiness).${hasLoadBalancer ? '\nThe scan found sticky-session / load-balancer configuration; see MIGRATION.md.' : ''}`,
  );
  const affinity = [
    '  # COMPATIBILITY OPTION, off by default: cookie affinity pins a client to one replica, which hides',
    '  # session-state problems instead of fixing them and unbalances load. Enable only until sessions are',
    '  # externalized, by uncommenting (ingress-nginx annotations):',
    '  # annotations:',
    '  #   nginx.ingress.kubernetes.io/affinity: "cookie"',
    '  #   nginx.ingress.kubernetes.io/session-cookie-name: "route"',
    '  #   nginx.ingress.kubernetes.io/session-cookie-max-age: "3600"',
  ];
  add('k8s/ingress.yaml', ingress.replace(/^(metadata:\n(?: {2}.*\n)*)/m, (m) => `${m}${affinity.join('\n')}\n`));

  // A variable the app reads without a default in the code stays unset until someone gives it a
  // value: an empty entry would change what the app sees (Java's getenv() returns "", not null).
  const unset = configVars.filter((v) => v.default === undefined);
  const unsetLines = unset.map((v) => `  # ${v.name}: ""  # ${oneLine(v.reads?.length ? `read at ${v.reads[0]!.file}:${v.reads[0]!.line}` : v.description, 160)}; no default in the code: set it`);
  const sysProps = [...new Set(ctx.env.reads.filter((r) => r.kind === 'system-property').map((r) => r.name))];
  const configMap = doc(
    { apiVersion: 'v1', kind: 'ConfigMap', metadata: meta(names.configMap), data: Object.fromEntries(configVars.filter((v) => v.default !== undefined).map((v) => [v.name, v.default!])) },
    [
      'Non-secret settings with the values found in the code as defaults: review each for the platform.',
      ...(unset.length > 0 ? ['The commented-out entries at the end are read by the app, which has no default for them: give each a value.'] : []),
      ...(sysProps.length > 0 ? [`System properties the app reads (${oneLine(sysProps.map((p) => `-D${p}`).join(' '), 120)}) are JVM flags: add JAVA_TOOL_OPTIONS here (see MIGRATION.md).`] : []),
    ].join('\n'),
  );
  // with no other entry, `data: {}` would not take the uncommented lines
  add('k8s/configmap.yaml', unsetLines.length > 0 ? `${configMap.replace(/^data: \{\}\n$/m, 'data:\n')}${unsetLines.join('\n')}\n` : configMap);
  if (hasSecret) {
    add(
      'k8s/secret.template.yaml',
      doc(
        { apiVersion: 'v1', kind: 'Secret', metadata: meta(names.secret), type: 'Opaque', stringData: Object.fromEntries(secretVars.map((v) => [v.name, 'REPLACE_ME'])) },
        'TEMPLATE: fill in the values (or create the Secret from your secret store) before applying.\nNo value found in the scanned code is copied here; every credential must be issued anew for the platform.',
      ),
    );
  }

  for (const job of jobs) {
    add(
      `k8s/cronjob-${job.name}.yaml`,
      doc(
        {
          apiVersion: 'batch/v1',
          kind: 'CronJob',
          metadata: meta(dnsLabel(`${names.app}-${job.name}`, 52)),
          spec: {
            schedule: job.schedule,
            concurrencyPolicy: 'Forbid',
            successfulJobsHistoryLimit: 3,
            failedJobsHistoryLimit: 3,
            jobTemplate: {
              spec: {
                backoffLimit: 2,
                template: {
                  metadata: { labels: { ...names.labels, 'app.kubernetes.io/component': 'job' } },
                  spec: {
                    restartPolicy: 'Never',
                    automountServiceAccountToken: false,
                    securityContext: podSecurity(ctx),
                    containers: [
                      {
                        name: 'job',
                        image: ctx.options.image ?? `${names.app}:latest`,
                        command: jobCommand(ctx, job),
                        envFrom: envFrom(names, hasSecret),
                        resources: resources(ctx.options.unit),
                        securityContext: SECURITY,
                      },
                    ],
                  },
                },
              },
            },
          },
        },
        [
          `From ${job.finding.file}:${job.finding.line} (${job.finding.ruleId}).`,
          ...job.review,
          ...(job.shell !== undefined ? ['REVIEW: a crontab command; the script it runs must be in the image, and output redirected to files should go to stdout.'] : []),
        ].join('\n'),
      ),
    );
  }

  add(
    'k8s/pdb.yaml',
    doc({
      apiVersion: 'policy/v1',
      kind: 'PodDisruptionBudget',
      metadata: meta(names.app),
      spec: { ...(ctx.options.units > 1 ? { minAvailable: ctx.options.units - 1 } : { maxUnavailable: 1 }), selector: { matchLabels: { 'app.kubernetes.io/name': names.app } } },
    }),
  );

  const resourcesList = files.filter((f) => f.path.startsWith('k8s/')).map((f) => f.path.slice(4));
  add(
    'k8s/kustomization.yaml',
    doc(
      { apiVersion: 'kustomize.config.k8s.io/v1beta1', kind: 'Kustomization', namespace: ns, resources: resourcesList },
      hasSecret ? 'secret.template.yaml holds placeholders: fill it in, or drop it from this list and provide the Secret another way.' : undefined,
    ),
  );
  return files;
}

export type { EnvVar };
