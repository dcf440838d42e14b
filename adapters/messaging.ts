/**
 * Messaging: the broker moves out of the instance (embedded ActiveMQ, Liberty's messaging engine, the
 * app server's JMS resources, an in-memory job queue) and becomes a backing service bound by
 * environment variables. Generated: the connection variables (ConfigMap, Secret template,
 * .env.example) and, per finding, what it is and which service to bind. The client code stays: JMS
 * needs a provider's client library, which a JDK-only helper cannot stand in for.
 */
import type { Finding } from '../core/index.js';
import type { EnvVar } from './env-vars.js';
import type { Output } from './output.js';
import { around, oneLine } from './text.js';
import type { Context } from './types.js';

export type BrokerKind = 'jms' | 'amqp' | 'kafka' | 'queue' | 'broker';

interface KindInfo {
  service: string;
  url: { name: string; default: string; description: string };
  user: string;
  password: string;
}

const KINDS: Record<BrokerKind, KindInfo> = {
  jms: {
    service: 'a JMS provider (ActiveMQ Artemis, IBM MQ, or the platform\'s managed broker)',
    url: { name: 'JMS_BROKER_URL', default: 'tcp://artemis:61616', description: 'JMS broker the connection factories point at (Artemis/ActiveMQ: tcp://host:61616)' },
    user: 'JMS_USER',
    password: 'JMS_PASSWORD',
  },
  amqp: {
    service: 'an AMQP broker (RabbitMQ or a managed equivalent)',
    url: { name: 'AMQP_URL', default: 'amqp://rabbitmq:5672', description: 'AMQP broker, without credentials' },
    user: 'AMQP_USER',
    password: 'AMQP_PASSWORD',
  },
  kafka: {
    service: 'a Kafka cluster (or a managed Kafka service)',
    url: { name: 'KAFKA_BOOTSTRAP_SERVERS', default: 'kafka:9092', description: 'Kafka bootstrap servers, host:port[,host:port]' },
    user: 'KAFKA_USER',
    password: 'KAFKA_PASSWORD',
  },
  queue: {
    service: 'a durable job queue (BullMQ on Redis, or an AMQP broker) with a worker consuming it',
    url: { name: 'QUEUE_URL', default: 'redis://redis:6379', description: 'durable job queue replacing the in-process queues (e.g. BullMQ on Redis)' },
    user: 'QUEUE_USER',
    password: 'QUEUE_PASSWORD',
  },
  broker: {
    service: 'a managed message broker',
    url: { name: 'BROKER_URL', default: 'REPLACE_ME', description: 'message broker the app connects to' },
    user: 'BROKER_USER',
    password: 'BROKER_PASSWORD',
  },
};

export function brokerKind(f: Finding): BrokerKind {
  const t = `${f.ruleId} ${Object.values(f.captures ?? {}).join(' ')} ${f.snippet}`;
  if (/kafka/i.test(t)) return 'kafka';
  if (/amqp|rabbit/i.test(t)) return 'amqp';
  if (/in-process-job-queue|\b(async|fastq|better-queue|queue)\.(queue|cargo|promise)\b/i.test(t)) return 'queue';
  // vm:// is ActiveMQ's in-VM transport; the embedded brokers the rules know are ActiveMQ / Artemis
  if (/jms|activemq|artemis|embedded-broker|vm:\/\/|message-driven|mdb|messagingEngine|com\.ibm\.mq|jca-adapter|message-destination/i.test(t)) return 'jms';
  return 'broker';
}

/** The kinds of broker the findings need, in a fixed order. */
function kindsOf(findings: readonly Finding[]): BrokerKind[] {
  const found = new Set(findings.filter((f) => f.concern === 'messaging').map(brokerKind));
  return (Object.keys(KINDS) as BrokerKind[]).filter((k) => found.has(k));
}

/** The connection variables of each broker kind found: URL and user in the ConfigMap, password in the Secret. */
export function messagingEnv(findings: readonly Finding[]): EnvVar[] {
  const out: EnvVar[] = [];
  for (const k of kindsOf(findings)) {
    const i = KINDS[k];
    out.push({ name: i.url.name, secret: false, default: i.url.default, description: i.url.description, usages: [], origin: 'adapter' });
    out.push({ name: i.user, secret: false, default: '', description: `user for ${i.url.name}`, usages: [], origin: 'adapter' });
    out.push({ name: i.password, secret: true, description: `password for ${i.url.name}`, usages: [], origin: 'adapter' });
  }
  return out;
}

const BROKER_URL = /^(vm|tcp|ssl|nio|failover|amqps?|kafka|stomp|mqtts?|wss?):\/\//i;

/** A broker URL the code hard-codes (an embedded broker's vm://…) is what the URL variable replaces. */
export function bindBrokerUrls(ctx: Pick<Context, 'findings' | 'env'>): void {
  for (const f of ctx.findings) {
    const value = f.captures?.value;
    if (f.concern !== 'messaging' || !value || !BROKER_URL.test(value)) continue;
    const v = ctx.env.vars.find((x) => x.name === KINDS[brokerKind(f)].url.name);
    if (!v) continue;
    const usage: EnvVar['usages'][number] = { file: f.file, line: f.line, ruleId: f.ruleId };
    if (f.captures?.key) usage.key = f.captures.key;
    v.usages.push(usage);
    ctx.env.byFinding.set(f.id, v);
  }
}

const str = (re: RegExp, text: string) => re.exec(text)?.[1];

/** What a finding is, in the words of someone wiring the broker: the resource and its JNDI / queue name. */
function describe(f: Finding, source: string | undefined): string {
  const near = `${around(source, f.line, 3, 2)}\n${f.snippet}`;
  const jndi =
    str(/(?:lookup|mappedName|name|destinationLookup|destination)\s*[=(]\s*"([^"]+)"/, f.snippet) ??
    str(/\.lookup\(\s*"([^"]+)"/, near) ??
    str(/@Resource\s*\([^)]*?(?:lookup|mappedName|name)\s*=\s*"([^"]+)"/, around(source, f.line, 3));
  const named = (what: string, name?: string) => (name ? `${what} \`${oneLine(name, 80)}\`` : what);
  const type = f.captures?.type?.split('.').pop();
  switch (true) {
    case /message-driven-bean/.test(f.ruleId):
      return named('message-driven bean (a consumer) on', str(/mappedName\s*=\s*"([^"]+)"/, near) ?? str(/propertyName\s*=\s*"destination(?:Lookup)?"\s*,\s*propertyValue\s*=\s*"([^"]+)"/, near));
    case /web-xml-jms-resource/.test(f.ruleId):
      return named('resource reference', str(/<res-ref-name>\s*([^<]+?)\s*</, f.snippet));
    case /jms-resource/.test(f.ruleId):
      return named(`JMS ${type ?? 'resource'}`, jndi);
    case /jms-destination-descriptor/.test(f.ruleId):
      return named('destination reference', str(/<message-destination-ref-name>\s*([^<]+?)\s*</, f.snippet));
    case /mdb-activation-binding/.test(f.ruleId):
      return named('MDB activation binding to', str(/destination-binding-name="([^"]+)"/, f.snippet));
    case /liberty-messaging-engine/.test(f.ruleId): {
      const dests = [...f.snippet.matchAll(/<(?:queue|topicSpace)\s+id="([^"]+)"/g)].map((m) => m[1]!);
      return `Liberty's embedded messaging engine${dests.length ? ` (${dests.map((d) => `\`${oneLine(d, 40)}\``).join(', ')})` : ''}`;
    }
    case /embedded-broker/.test(f.ruleId):
      return f.captures?.value ? `in-VM broker URL \`${oneLine(f.captures.value, 80)}\`` : `broker started in the app (${type ?? 'embedded'})`;
    case /activemq-broker/.test(f.ruleId):
      return 'ActiveMQ broker declared in the app\'s config';
    case /jms-dependency/.test(f.ruleId):
      return `client library \`${oneLine(f.captures?.value ?? f.captures?.key ?? 'JMS', 80)}\``;
    case /in-process-job-queue/.test(f.ruleId):
      return `in-memory job queue${f.captures?.call ? ` (\`${oneLine(f.captures.call, 40)}\`)` : ''}${f.captures?.key ? ` \`${oneLine(f.captures.key, 40)}\`` : ''}`;
    default:
      return oneLine(f.message, 100);
  }
}

/** What to do with each kind of messaging finding, once per plan. */
function steps(ctx: Context, kinds: BrokerKind[], findings: Finding[]): string[] {
  const out: string[] = [];
  const has = (re: RegExp) => findings.some((f) => re.test(f.ruleId));
  for (const k of kinds) {
    const i = KINDS[k];
    out.push(`Bind the backing service, ${i.service}: set ${i.url.name} and ${i.user} in k8s/configmap.yaml and ${i.password} in the Secret (k8s/secret.template.yaml lists it).`);
  }
  if (has(/embedded-broker|activemq-broker/)) out.push('Remove the broker the app starts or declares for itself: its messages live on the instance and are lost when it is replaced, and each replica would get a broker of its own.');
  if (has(/liberty-messaging-engine/)) out.push('Liberty: remove <messagingEngine> and the wasJmsServer feature; define the JMS connection factories and queues against the external broker (wmqJmsClient for IBM MQ, or the Artemis resource adapter) using ${JMS_BROKER_URL}, ${JMS_USER} and ${JMS_PASSWORD}.');
  if (ctx.runtime.language === 'java' && has(/message-driven-bean|jms-resource|web-xml-jms-resource|jms-destination-descriptor|mdb-activation-binding/)) {
    out.push('Container-managed JMS (MDBs, @Resource connection factories and destinations, resource references): keep an application server image and point its JMS resource adapter at the broker, or replace them with plain JMS clients built from the variables (a MessageListener on a connection from the provider\'s ConnectionFactory) running in the web image or a worker.');
  }
  if (kinds.includes('queue')) out.push('In-memory job queues lose their jobs when the instance stops and cannot share work between replicas: push jobs to the durable queue at QUEUE_URL and consume them in a worker (or the web replicas), with retries; a job must be safe to run twice.');
  if (kinds.some((k) => k !== 'queue')) out.push('Messages must survive instance replacement: use persistent delivery and durable subscriptions where the old setup relied on the server\'s store, and make consumers idempotent (a redelivered message is normal on a platform).');
  return out;
}

export function generateMessaging(ctx: Context, out: Output): void {
  const findings = ctx.findings.filter((f) => f.concern === 'messaging');
  if (findings.length === 0) return;
  const kinds = kindsOf(findings);
  const varsOf = (k: BrokerKind) => [KINDS[k].url.name, KINDS[k].user, KINDS[k].password].map((n) => `\`${n}\``).join(', ');
  const cell = (s: string) => s.replace(/\|/g, '\\|');
  // as long as the plan's own finding lists; the scan report has the rest
  const MAX_ROWS = 60;
  const rows = findings.slice(0, MAX_ROWS).map((f) => {
    const k = brokerKind(f);
    return `| \`${cell(`${f.file}:${f.line}`)}\` ${cell(f.ruleId)} | ${cell(describe(f, ctx.sources[f.file]))} | ${cell(KINDS[k].service)} | ${varsOf(k)} |`;
  });
  if (findings.length > MAX_ROWS) rows.push(`| … and ${findings.length - MAX_ROWS} more (see the scan report) | | | |`);
  out.section('messaging', ['### Backing services to bind', '', '| finding | what it is | bind | variables |', '|---|---|---|---|', ...rows]);
  for (const s of steps(ctx, kinds, findings)) out.note('messaging', s);
}
