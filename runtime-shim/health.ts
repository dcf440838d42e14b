/**
 * Probes and the /healthz + /readyz server. Liveness is "the app process exists"; readiness is
 * "the app answers" (TCP connect to its port, or 2xx from its health URL) and is forced to 503 while
 * the app is starting or the shim is draining, so traffic leaves before the app is asked to stop.
 */
import http from 'node:http';
import net from 'node:net';

export interface ProbeResult {
  ok: boolean;
  detail: string;
}

export function probeTcp(host: string, port: number, timeoutMs = 1000): Promise<ProbeResult> {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    const done = (r: ProbeResult): void => {
      socket.destroy();
      resolve(r);
    };
    socket.setTimeout(timeoutMs, () => done({ ok: false, detail: `connect ${host}:${port} timed out` }));
    socket.once('connect', () => done({ ok: true, detail: `${host}:${port} accepts connections` }));
    socket.once('error', (err: NodeJS.ErrnoException) => done({ ok: false, detail: `connect ${host}:${port}: ${err.code ?? err.message}` }));
  });
}

export async function probeUrl(url: string, timeoutMs = 2000): Promise<ProbeResult> {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(timeoutMs), redirect: 'manual' });
    await res.body?.cancel();
    return { ok: res.status >= 200 && res.status < 300, detail: `${url} answered ${res.status}` };
  } catch (err) {
    const cause = (err as { cause?: { code?: string } }).cause;
    return { ok: false, detail: `${url}: ${cause?.code ?? (err as Error).name}` };
  }
}

export type Phase = 'starting' | 'running' | 'restarting' | 'draining' | 'stopped';

export interface HealthState {
  /** True while the app's process exists. */
  alive(): boolean;
  phase(): Phase;
  /** The readiness check of the app itself (undefined = no port/URL declared: alive means ready). */
  probe?: () => Promise<ProbeResult>;
}

export async function readiness(state: HealthState): Promise<ProbeResult> {
  const phase = state.phase();
  if (phase !== 'running') return { ok: false, detail: phase };
  if (!state.alive()) return { ok: false, detail: 'app is not running' };
  return state.probe ? state.probe() : { ok: true, detail: 'app is running' };
}

export function startHealthServer(host: string, port: number, state: HealthState): Promise<http.Server> {
  const server = http.createServer((req, res) => {
    const send = (code: number, body: string): void => {
      res.writeHead(code, { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store', connection: 'close' });
      res.end(`${body}\n`);
    };
    const url = (req.url ?? '/').split('?')[0];
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(405, 'method not allowed');
    if (url === '/healthz' || url === '/livez') {
      return state.alive() ? send(200, 'ok') : send(503, `app is not running (${state.phase()})`);
    }
    if (url === '/readyz') {
      readiness(state).then(
        (r) => send(r.ok ? 200 : 503, r.ok ? 'ok' : r.detail),
        (err: Error) => send(503, err.message),
      );
      return;
    }
    send(404, 'not found: try /healthz or /readyz');
  });
  // Probes are short-lived; never let a stuck client hold the shim open at shutdown.
  server.keepAliveTimeout = 1000;
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve(server);
    });
  });
}
