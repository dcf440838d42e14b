/**
 * Platform manifests: every Kubernetes object validates against the API schema (kubernetes-models),
 * and the objects agree with each other and with the shim config (ports, selectors, names, refs).
 */
import { ConfigMap, Namespace, LimitRange, ResourceQuota, Secret, Service } from 'kubernetes-models/v1';
import { Deployment } from 'kubernetes-models/apps/v1';
import { CronJob } from 'kubernetes-models/batch/v1';
import { Ingress, NetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments, parse } from 'yaml';
import type { GeneratedFile } from '../../adapters/index.js';
import { generateJavaApp, generateNodeApp } from './apps.js';

const MODELS: Record<string, new (o: never) => { validate(): void }> = {
  Namespace: Namespace as never,
  ResourceQuota: ResourceQuota as never,
  LimitRange: LimitRange as never,
  NetworkPolicy: NetworkPolicy as never,
  Deployment: Deployment as never,
  Service: Service as never,
  Ingress: Ingress as never,
  ConfigMap: ConfigMap as never,
  Secret: Secret as never,
  CronJob: CronJob as never,
  PodDisruptionBudget: PodDisruptionBudget as never,
};

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

function objects(files: GeneratedFile[]): Array<{ file: string; obj: Obj }> {
  const out: Array<{ file: string; obj: Obj }> = [];
  for (const f of files.filter((g) => g.path.startsWith('k8s/') && g.path !== 'k8s/kustomization.yaml')) {
    for (const d of parseAllDocuments(f.contents)) {
      expect(d.errors).toEqual([]);
      out.push({ file: f.path, obj: d.toJS() as Obj });
    }
  }
  return out;
}

function cpuMillis(q: string): number {
  return q.endsWith('m') ? Number(q.slice(0, -1)) : Number(q) * 1000;
}
function memMi(q: string): number {
  const m = /^(\d+(?:\.\d+)?)(Mi|Gi)$/.exec(q)!;
  return Number(m[1]) * (m[2] === 'Gi' ? 1024 : 1);
}

for (const [label, gen, port] of [
  ['Java (Tomcat)', () => generateJavaApp(), 8080],
  ['Node', () => generateNodeApp(), 3000],
] as const) {
  describe(`manifests for the ${label} app`, () => {
    const files = gen();
    const all = objects(files);
    const one = (kind: string) => all.filter((o) => o.obj.kind === kind);

    it('every object validates against the Kubernetes API schema', () => {
      expect(all.length).toBeGreaterThanOrEqual(12);
      for (const { file, obj } of all) {
        const Model = MODELS[obj.kind as string];
        expect(Model, `${file}: ${obj.kind}`).toBeDefined();
        expect(() => new Model!(obj as never).validate(), `${file}: ${obj.kind}`).not.toThrow();
      }
    });

    it('kustomization lists exactly the manifest files, all in one namespace', () => {
      const k = parse(files.find((f) => f.path === 'k8s/kustomization.yaml')!.contents) as Obj;
      expect([...k.resources].sort()).toEqual(files.filter((f) => f.path.startsWith('k8s/') && f.path !== 'k8s/kustomization.yaml').map((f) => f.path.slice(4)).sort());
      const ns = one('Namespace')[0]!.obj.metadata.name;
      expect(k.namespace).toBe(ns);
      for (const { obj } of all.filter((o) => o.obj.kind !== 'Namespace')) expect(obj.metadata.namespace).toBe(ns);
    });

    it('ports, selectors and config references agree', () => {
      const dep = one('Deployment')[0]!.obj;
      const pod = dep.spec.template;
      const c = pod.spec.containers[0];
      const ports = Object.fromEntries(c.ports.map((p: Obj) => [p.name, p.containerPort]));
      expect(ports.http).toBe(port);
      const shim = parse(files.find((f) => f.path === 'paasport-shim.yaml')!.contents) as Obj;
      expect(ports.health).toBe(shim.healthPort);
      expect(shim.appPort).toBe(port);
      for (const probe of ['startupProbe', 'readinessProbe', 'livenessProbe']) expect(c[probe].httpGet.port).toBe('health');
      expect(c.readinessProbe.httpGet.path).toBe('/readyz');
      expect(c.livenessProbe.httpGet.path).toBe('/healthz');
      // selectors select the pod template
      const labels = pod.metadata.labels;
      const selects = (sel: Obj) => Object.entries(sel).every(([k, v]) => labels[k] === v);
      expect(selects(dep.spec.selector.matchLabels)).toBe(true);
      const svc = one('Service')[0]!.obj;
      expect(selects(svc.spec.selector)).toBe(true);
      expect(svc.spec.ports[0].targetPort).toBe('http');
      expect(selects(one('PodDisruptionBudget')[0]!.obj.spec.selector.matchLabels)).toBe(true);
      expect(selects(pod.spec.affinity.podAntiAffinity.preferredDuringSchedulingIgnoredDuringExecution[0].podAffinityTerm.labelSelector.matchLabels)).toBe(true);
      const ing = one('Ingress')[0]!.obj;
      const backend = ing.spec.rules[0].http.paths[0].backend.service;
      expect(backend.name).toBe(svc.metadata.name);
      expect(svc.spec.ports.map((p: Obj) => p.name)).toContain(backend.port.name);
      const allow = one('NetworkPolicy').find((n) => n.obj.metadata.name === 'allow-from-ingress')!.obj;
      expect(selects(allow.spec.podSelector.matchLabels)).toBe(true);
      expect(allow.spec.ingress[0].ports[0].port).toBe(port);
      expect(one('NetworkPolicy').find((n) => n.obj.metadata.name === 'default-deny-ingress')!.obj.spec).toEqual({ podSelector: {}, policyTypes: ['Ingress'] });
      // envFrom refers to the ConfigMap and Secret that exist, in pods and jobs alike
      const cm = one('ConfigMap')[0]!.obj.metadata.name;
      const secret = one('Secret')[0]!.obj.metadata.name;
      for (const spec of [pod.spec, ...one('CronJob').map((j) => j.obj.spec.jobTemplate.spec.template.spec)]) {
        const refs = spec.containers[0].envFrom;
        expect(refs).toEqual([{ configMapRef: { name: cm } }, { secretRef: { name: secret } }]);
      }
    });

    it('resources from --unit/--units, a quota that fits replicas + surge + jobs, grace covering the drain', () => {
      const dep = one('Deployment')[0]!.obj;
      const c = dep.spec.template.spec.containers[0];
      const jobs = one('CronJob').length;
      expect(jobs).toBe(1);
      const quota = one('ResourceQuota')[0]!.obj.spec.hard;
      const need = dep.spec.replicas + dep.spec.strategy.rollingUpdate.maxSurge + jobs;
      expect(cpuMillis(quota['requests.cpu'])).toBe(need * cpuMillis(c.resources.requests.cpu));
      expect(memMi(quota['limits.memory'])).toBe(need * memMi(c.resources.limits.memory));
      expect(Number(quota.pods)).toBe(need);
      const shim = parse(files.find((f) => f.path === 'paasport-shim.yaml')!.contents) as Obj;
      const preStop = Number(c.lifecycle.preStop.exec.command[1]);
      expect(dep.spec.template.spec.terminationGracePeriodSeconds).toBeGreaterThan(preStop + shim.drainSeconds + shim.graceSeconds);
      expect(dep.spec.template.spec.securityContext.runAsNonRoot).toBe(true);
      const pdb = one('PodDisruptionBudget')[0]!.obj.spec;
      expect(pdb.minAvailable).toBe(dep.spec.replicas - 1);
    });

    it('no stickiness: cookie affinity only as a commented option', () => {
      const ing = files.find((f) => f.path === 'k8s/ingress.yaml')!.contents;
      const obj = parse(ing) as Obj;
      expect(obj.metadata.annotations).toBeUndefined();
      expect(ing).toMatch(/^ {2}# COMPATIBILITY OPTION/m);
      expect(ing).toMatch(/^ {2}# {3}nginx\.ingress\.kubernetes\.io\/affinity: "cookie"$/m);
      expect(one('Service')[0]!.obj.spec.sessionAffinity).toBeUndefined();
    });

    it('Dockerfile: non-root, exec-form shim entry point with the generated config', () => {
      const d = files.find((f) => f.path === 'Dockerfile')!.contents;
      const user = [...d.matchAll(/^USER (\S+)$/gm)].map((m) => m[1]!);
      expect(user.length).toBeGreaterThan(0);
      expect(user[user.length - 1]).not.toMatch(/^(root|0)$/);
      const entry = /^ENTRYPOINT (.*)$/m.exec(d)![1]!;
      // the shim generate copied into the output folder, run by the image's node: nothing from npm
      expect(JSON.parse(entry)).toEqual(['/usr/local/bin/node', '/opt/paasport/shim/main.js', '--config', '/etc/paasport/shim.yaml', '--']);
      expect(d).toContain('COPY paasport-out/paasport-shim/ /opt/paasport/shim/');
      expect(d).not.toMatch(/npm (install|i) .*paasport/);
      expect(JSON.parse(/^CMD (.*)$/m.exec(d)![1]!)).toBeInstanceOf(Array);
      expect(d).toContain('COPY paasport-out/paasport-shim.yaml /etc/paasport/shim.yaml');
      expect(d).toMatch(label.startsWith('Java') ? /^FROM tomcat:10\.1-jre17/m : /^FROM node:20/m);
    });
  });
}
