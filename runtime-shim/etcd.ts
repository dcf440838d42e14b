/**
 * Service registration in etcd v3 through its JSON gateway (plain HTTP + node's fetch, so the shim
 * needs no gRPC stack): a lease with keepalive, and the instance key attached to it, so a shim that
 * dies without deregistering disappears after one TTL.
 *
 * Registration follows a desired state (registered while the app is ready) and is reconciled by one
 * loop; every failure — etcd down, lease expired — is retried with capped exponential backoff and
 * never affects the app.
 */

export interface RegistrarOptions {
  endpoint: string;
  key: string;
  value: () => string;
  ttlSeconds: number;
  log: (message: string) => void;
  backoffInitialMs?: number;
  backoffMaxMs?: number;
  requestTimeoutMs?: number;
}

class LeaseLost extends Error {}

const b64 = (s: string): string => Buffer.from(s, 'utf8').toString('base64');

export class EtcdRegistrar {
  private desired = false;
  private closed = false;
  private lease: string | undefined;
  private wake: (() => void) | undefined;
  private loop: Promise<void> | undefined;
  private lastError: string | undefined;
  registrations = 0;

  constructor(private readonly opts: RegistrarOptions) {}

  get registered(): boolean {
    return this.lease !== undefined;
  }

  setDesired(on: boolean): void {
    if (this.closed || this.desired === on) return;
    this.desired = on;
    this.loop ??= this.run();
    this.wake?.();
  }

  /** Deregisters (bounded by timeoutMs, so an unreachable etcd cannot hold up shutdown) and stops. */
  async close(timeoutMs = 3000): Promise<void> {
    this.desired = false;
    this.closed = true;
    this.wake?.();
    if (!this.loop) return;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([this.loop, new Promise<void>((r) => (timer = setTimeout(r, timeoutMs)))]);
    clearTimeout(timer);
  }

  private async call(rpc: string, body: unknown): Promise<Record<string, unknown>> {
    const res = await fetch(`${this.opts.endpoint}/v3/${rpc}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(this.opts.requestTimeoutMs ?? 3000),
    });
    const text = await res.text();
    let json: Record<string, unknown> = {};
    try {
      json = text ? (JSON.parse(text) as Record<string, unknown>) : {};
    } catch {
      throw new Error(`${rpc}: HTTP ${res.status}, not JSON`);
    }
    if (!res.ok || json.error) throw new Error(`${rpc}: HTTP ${res.status} ${String(json.message ?? json.error ?? '')}`.trim());
    return json;
  }

  private async register(): Promise<void> {
    const grant = await this.call('lease/grant', { TTL: this.opts.ttlSeconds });
    const id = String(grant.ID ?? '');
    if (!id || id === '0') throw new Error('lease/grant: no lease ID in the answer');
    try {
      await this.call('kv/put', { key: b64(this.opts.key), value: b64(this.opts.value()), lease: id });
    } catch (err) {
      await this.call('lease/revoke', { ID: id }).catch(() => undefined);
      throw err;
    }
    this.lease = id;
    this.registrations += 1;
    this.opts.log(`etcd: registered ${this.opts.key} (lease ${id}, ttl ${this.opts.ttlSeconds}s)`);
  }

  private async keepalive(): Promise<void> {
    const r = await this.call('lease/keepalive', { ID: this.lease });
    const result = (r.result ?? r) as Record<string, unknown>;
    if (!result.TTL || String(result.TTL) === '0') {
      this.lease = undefined;
      throw new LeaseLost('lease expired; registering again');
    }
  }

  private async deregister(): Promise<void> {
    const id = this.lease;
    if (!id) return;
    // Delete first: if the revoke is lost the key must not outlive this instance by a whole TTL.
    await this.call('kv/deleterange', { key: b64(this.opts.key) });
    this.lease = undefined;
    await this.call('lease/revoke', { ID: id }).catch(() => undefined);
    this.opts.log(`etcd: deregistered ${this.opts.key}`);
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done(): void {
        clearTimeout(timer);
        resolve();
      }
      this.wake = done;
    });
  }

  private async run(): Promise<void> {
    let failures = 0;
    const initial = this.opts.backoffInitialMs ?? 500;
    const max = this.opts.backoffMaxMs ?? 10_000;
    for (;;) {
      try {
        if (this.desired && !this.lease) await this.register();
        else if (!this.desired && this.lease) await this.deregister();
        else if (this.lease) await this.keepalive();
        if (failures > 0) this.lastError = undefined;
        failures = 0;
        if (this.closed && !this.lease) return;
        await this.sleep(this.lease ? (this.opts.ttlSeconds * 1000) / 3 : 60_000);
      } catch (err) {
        if (err instanceof LeaseLost) {
          this.opts.log(`etcd: ${err.message}`);
          continue;
        }
        if (this.closed && !this.desired) {
          this.opts.log(`etcd: could not deregister ${this.opts.key} (${describe(err)}); its lease expires within ${this.opts.ttlSeconds}s`);
          return;
        }
        failures += 1;
        const delay = Math.min(max, initial * 2 ** (failures - 1));
        const message = describe(err);
        // One line per distinct problem, not one per retry.
        if (message !== this.lastError) this.opts.log(`etcd: ${message}; retrying with backoff (next in ${(delay / 1000).toFixed(1)}s)`);
        this.lastError = message;
        await this.sleep(delay);
      }
    }
  }
}

function describe(err: unknown): string {
  const e = err as { cause?: { code?: string }; name?: string; message?: string };
  if (e.cause?.code) return `${e.cause.code} talking to etcd`;
  if (e.name === 'TimeoutError') return 'etcd request timed out';
  return e.message ?? String(err);
}
