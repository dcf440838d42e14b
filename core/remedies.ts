/**
 * What each concern means for a platform and what `paasport generate` writes for it. Shared by the
 * reports (concern cards, "what generate will produce") and the adapters, so both say the same thing.
 * A rule's own `generates` overrides the concern default. Plain text: the HTML report shows it as is,
 * MIGRATION.md inside a Markdown sentence.
 */
import type { Concern } from './model.js';

export interface ConcernInfo {
  title: string;
  /** why it breaks a platform that runs interchangeable, disposable instances */
  meaning: string;
  /** the fix, in one sentence */
  fix: string;
  /** what `paasport generate` produces; undefined = no generated remedy, manual work */
  generates?: string;
}

export const CONCERN_INFO: Record<Concern, ConcernInfo> = {
  'local-storage': {
    title: 'Local storage',
    meaning: 'Instances are disposable and interchangeable: data written to the local disk is lost on restart and invisible to the other instances.',
    fix: 'Keep data in a backing service: object storage for files, a database for records.',
    generates: 'a BlobStore adapter (local directory for development, S3-compatible object storage on the platform)',
  },
  'file-upload': {
    title: 'File uploads',
    meaning: 'An upload saved on one instance cannot be served by another and disappears when the instance is replaced.',
    fix: 'Stream uploads to object storage and keep only the object key.',
    generates: 'an upload storage adapter on top of the BlobStore (multer storage engine for Node)',
  },
  'host-bound-config': {
    title: 'Host-bound configuration',
    meaning: 'Host names, IP addresses, ports and host paths baked into code or files tie the app to one machine and one environment.',
    fix: 'Read addresses and paths from the environment, with the old value as a development default.',
    generates: 'environment variables for each value, a config overlay in the file\'s own syntax, .env.example and a ConfigMap',
  },
  'long-running-task': {
    title: 'Long-running and scheduled tasks',
    meaning: 'Timers and schedulers inside a web instance run once per replica, stop when the instance is killed and delay shutdown.',
    fix: 'Move scheduled work to a separate worker or a platform-scheduled job.',
    generates: 'a separate worker entry point and a Kubernetes CronJob',
  },
  'local-credentials': {
    title: 'Local credentials',
    meaning: 'Credentials in code, config files or local keystores are shared by every environment and cannot be rotated per service.',
    fix: 'Bind credentials per service from the platform (secrets mounted as environment variables or files).',
    generates: 'a Secret template and environment-variable placeholders (secret values are never copied)',
  },
  'hardware-load-balancer': {
    title: 'Hardware load balancer and sticky sessions',
    meaning: 'Sticky routing and load-balancer configuration kept beside the app assume fixed instances; the platform routes to any healthy instance.',
    fix: 'Let the platform route: externalize state so no request needs a particular instance.',
    generates: 'a Service and an Ingress without stickiness (cookie affinity only as a commented compatibility option)',
  },
  'session-state': {
    title: 'Session state',
    meaning: 'State kept in an instance\'s memory is lost when it stops and missing on the instance that serves the next request.',
    fix: 'Keep sessions in a shared store (e.g. Redis) or make them stateless tokens.',
    generates: 'external session store configuration (Redis) for the app\'s container, and the <distributable/> change',
  },
  'app-server-api': {
    title: 'Application-server APIs',
    meaning: 'EJB, JNDI and vendor APIs need a full application server and its administered resources, which a platform does not provide.',
    fix: 'Replace container lookups with configuration from the environment and plain dependency injection.',
    generates: 'a DataSource factory that replaces JNDI lookups with environment variables',
  },
  'file-logging': {
    title: 'File logging',
    meaning: 'Log files on an instance\'s disk are lost with it and never reach the platform\'s log stream.',
    fix: 'Log to stdout/stderr as a stream of events; let the platform collect them.',
    generates: 'console/JSON logging configuration replacing the file appenders',
  },
  'in-memory-cache': {
    title: 'In-memory caches',
    meaning: 'Each instance keeps its own copy of cached data, so instances diverge and caches start cold after every restart.',
    fix: 'Use a shared cache, or a local tier bounded in size backed by a shared one.',
    generates: 'a tiered cache adapter: bounded local memory, overflow in Redis',
  },
  'native-code': {
    title: 'Native code',
    meaning: 'Native libraries tie the app to an operating system and CPU architecture that the platform image must provide.',
    fix: 'Replace with portable libraries, or build the image with the native dependencies for the platform\'s architecture.',
    generates: 'the list of native libraries and addons the image must contain, in the plan and as "# needs:" comments in the Dockerfile',
  },
  'process-exec': {
    title: 'Process execution',
    meaning: 'Spawning processes assumes tools installed on the host and resources outside the platform\'s control.',
    fix: 'Call a library or a service instead, or ship the tool in the image and bound its resources.',
    generates: 'the list of external commands the image must contain, in the plan and as "# needs:" comments in the Dockerfile',
  },
  messaging: {
    title: 'Messaging',
    meaning: 'Embedded or container-managed brokers and JMS resources live inside the app server and do not survive instance replacement.',
    fix: 'Use a managed broker bound as a backing service.',
    generates: 'the broker connection variables (ConfigMap, Secret template, .env.example) and the backing service to bind for each finding',
  },
  'health-check': {
    title: 'Health check',
    meaning: 'The platform restarts and routes by health probes; an app without a health endpoint cannot tell it when it is ready or stuck.',
    fix: 'Expose liveness and readiness endpoints.',
    generates: 'liveness and readiness probes served by the runtime shim (paasport run)',
  },
  'graceful-shutdown': {
    title: 'Graceful shutdown',
    meaning: 'The platform stops instances with SIGTERM at any time; without handling it, in-flight requests are cut off.',
    fix: 'On SIGTERM stop accepting work, finish in-flight requests, then exit.',
    generates: 'the runtime shim, which drains and forwards SIGTERM with a grace period',
  },
};
