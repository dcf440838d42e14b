/**
 * Hand-made scan results for the generator tests, and the real servers the generated adapters are
 * tested against: s3rver (behind a proxy that checks AWS Signature V4 with the AWS SDK's own signer,
 * because s3rver accepts any v4 signature) and Debian's redis-server.
 */
import { SignatureV4 } from '@smithy/signature-v4';
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash, createHmac, type Hash as NodeHash, type Hmac } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { ShimBundle } from '../../adapters/index.js';
import { loadShimBundle } from '../../cli/commands/generate.js';
import type { Concern, Finding, ScanResult, Severity } from '../../core/index.js';

function bytes(d: string | ArrayBuffer | ArrayBufferView): string | Uint8Array {
  if (typeof d === 'string') return d;
  return ArrayBuffer.isView(d) ? new Uint8Array(d.buffer, d.byteOffset, d.byteLength) : new Uint8Array(d);
}

/** The Hash shape @smithy/signature-v4 expects (SHA-256, or HMAC-SHA256 with a secret), on node:crypto. */
class Sha256 {
  private readonly h: NodeHash | Hmac;
  constructor(secret?: string | ArrayBuffer | ArrayBufferView) {
    this.h = secret === undefined ? createHash('sha256') : createHmac('sha256', bytes(secret));
  }
  update(data: string | ArrayBuffer | ArrayBufferView): void {
    this.h.update(bytes(data));
  }
  async digest(): Promise<Uint8Array> {
    return new Uint8Array(this.h.digest());
  }
}

let shim: ShimBundle | undefined;
/** The compiled runtime shim from dist/ (the test run builds first), as the CLI hands it to generate(). */
export function shimBundle(): ShimBundle {
  shim ??= loadShimBundle();
  return shim;
}

export interface FindingSpec {
  file: string;
  line: number;
  ruleId: string;
  concern: Concern;
  severity?: Severity;
  effort?: 1 | 3 | 5 | 8 | 13;
  snippet?: string;
  captures?: Record<string, string>;
}

export function finding(s: FindingSpec): Finding {
  const f: Finding = {
    id: createHash('sha1').update(`${s.file}:${s.line}:${s.ruleId}`).digest('hex').slice(0, 16),
    ruleId: s.ruleId,
    concern: s.concern,
    severity: s.severity ?? 'mandatory',
    effort: s.effort ?? 3,
    file: s.file,
    line: s.line,
    column: 1,
    endLine: s.line,
    message: `${s.ruleId} at ${s.file}:${s.line}`,
    snippet: s.snippet ?? '',
    remediation: 'fix it',
  };
  if (s.captures) f.captures = s.captures;
  return f;
}

export function scanResult(findings: Finding[]): ScanResult {
  const rules = [...new Map(findings.map((f) => [f.ruleId, f])).values()].map((f) => ({
    id: f.ruleId,
    concern: f.concern,
    severity: f.severity,
    effort: f.effort,
    title: f.ruleId,
    message: f.message,
    remediation: 'fix it',
    links: [],
    tags: [],
  }));
  const byConcern: Partial<Record<Concern, number>> = {};
  for (const f of findings) byConcern[f.concern] = (byConcern[f.concern] ?? 0) + 1;
  return {
    schemaVersion: 1,
    tool: { name: 'paasport', version: '0.1.0' },
    root: '/nonexistent/app',
    summary: { files: 10, findings: findings.length, byConcern, bySeverity: { mandatory: findings.length, potential: 0, optional: 0 } },
    rules,
    findings,
    skipped: [],
    errors: [],
    notices: [],
  };
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

export interface RunningServer {
  url: string;
  stop(): Promise<void>;
}

export async function startRedis(): Promise<RunningServer> {
  const port = await freePort();
  const proc: ChildProcess = spawn('/usr/bin/redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
  for (let i = 0; i < 100; i++) {
    const ok = await new Promise<boolean>((r) => {
      const c = net.connect(port, '127.0.0.1', () => {
        c.end();
        r(true);
      });
      c.on('error', () => r(false));
    });
    if (ok) break;
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    url: `redis://127.0.0.1:${port}`,
    stop: () =>
      new Promise((r) => {
        proc.once('exit', () => r());
        proc.kill('SIGTERM');
      }),
  };
}

/** s3rver ships no types; imported through a variable so the compiler does not ask for them. */
const S3RVER_MODULE = 's3rver';

export const S3_ACCESS = 'S3RVER';
export const S3_SECRET = 'S3RVER';

/**
 * s3rver on a loopback port, fronted by a proxy that re-computes each request's SigV4 signature with
 * @smithy/signature-v4 (the AWS SDK's signer) and answers 403 on a mismatch. `rejected` counts those.
 */
export async function startS3(): Promise<RunningServer & { rejected: () => number; checked: () => number }> {
  const { default: S3rver } = (await import(S3RVER_MODULE)) as unknown as { default: new (o: object) => { run(): Promise<{ port: number }>; close(): Promise<void> } };
  const dir = mkdtempSync(path.join(os.tmpdir(), 'paasport-s3-'));
  const s3 = new S3rver({ port: 0, address: '127.0.0.1', silent: true, directory: dir });
  const { port: s3port } = await s3.run();
  let rejected = 0;
  let checked = 0;
  const proxy = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      void (async () => {
        const body = Buffer.concat(chunks);
        const auth = String(req.headers.authorization ?? '');
        const m = /Credential=[^/]+\/(\d{8})\/([^/]+)\/s3\/aws4_request, SignedHeaders=([^,]+), Signature=([0-9a-f]+)/.exec(auth);
        const url = new URL(req.url ?? '/', 'http://x');
        if (m) {
          checked++;
          const signed = m[3]!.split(';');
          const headers: Record<string, string> = {};
          for (const h of signed) headers[h] = String(req.headers[h] ?? '');
          const query: Record<string, string> = {};
          url.searchParams.forEach((v, k) => (query[k] = v));
          const amzDate = String(req.headers['x-amz-date']);
          const date = new Date(`${amzDate.slice(0, 4)}-${amzDate.slice(4, 6)}-${amzDate.slice(6, 8)}T${amzDate.slice(9, 11)}:${amzDate.slice(11, 13)}:${amzDate.slice(13, 15)}Z`);
          const expected = await new SignatureV4({ service: 's3', region: m[2]!, credentials: { accessKeyId: S3_ACCESS, secretAccessKey: S3_SECRET }, sha256: Sha256, uriEscapePath: false, applyChecksum: true }).sign(
            { method: req.method!, protocol: 'http:', hostname: headers.host!.split(':')[0]!, port: Number(headers.host!.split(':')[1] ?? 80), path: url.pathname, query, headers, body },
            { signingDate: date, signableHeaders: new Set(signed), unsignableHeaders: new Set(Object.keys(req.headers).filter((h) => !signed.includes(h))) },
          );
          const got = /Signature=([0-9a-f]+)/.exec(String(expected.headers.authorization ?? expected.headers.Authorization))?.[1];
          if (got !== m[4]) {
            rejected++;
            res.writeHead(403, { 'content-type': 'application/xml' });
            res.end('<Error><Code>SignatureDoesNotMatch</Code></Error>');
            return;
          }
        }
        const fwd = http.request({ host: '127.0.0.1', port: s3port, method: req.method, path: req.url, headers: req.headers }, (r) => {
          res.writeHead(r.statusCode ?? 500, r.headers);
          r.pipe(res);
        });
        fwd.on('error', () => {
          res.writeHead(502);
          res.end();
        });
        fwd.end(body);
      })();
    });
  });
  await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', () => r()));
  const port = (proxy.address() as net.AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    rejected: () => rejected,
    checked: () => checked,
    stop: async () => {
      await new Promise<void>((r) => proxy.close(() => r()));
      await s3.close();
    },
  };
}
