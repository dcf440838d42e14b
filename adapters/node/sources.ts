/**
 * The Node adapters (CommonJS, so both CommonJS and ESM apps can load them) and the tests they ship
 * with. Kept as text because generators are pure.
 */

export const NODE_SOURCES: Record<string, string> = {
  'blob-store.js': String.raw`'use strict';
/**
 * Files the app used to keep on local disk, in a store every instance shares. BLOB_STORE=s3 uses
 * S3-compatible object storage (path-style, so MinIO, Ceph and s3rver work as well as AWS); anything
 * else a local directory for development. Keys are relative, slash-separated names.
 */
const fs = require('node:fs');
const fsp = require('node:fs/promises');
const path = require('node:path');

function checkKey(key) {
  if (typeof key !== 'string' || key === '' || key.startsWith('/') || key.includes('\\') || key.includes('\0')) throw new Error('invalid blob key: ' + key);
  for (const seg of key.split('/')) if (seg === '' || seg === '.' || seg === '..') throw new Error('invalid blob key: ' + key);
  return key;
}

/** A former local path as a key: the path without its root, so /var/app/uploads/a.png is var/app/uploads/a.png. */
function keyOf(localPath) {
  const p = path.posix.normalize('/' + String(localPath).replace(/\\/g, '/').replace(/^[A-Za-z]:/, ''));
  return checkKey(p.replace(/^\/+/, ''));
}

async function toBuffer(body) {
  if (Buffer.isBuffer(body)) return body;
  if (typeof body === 'string' || body instanceof Uint8Array) return Buffer.from(body);
  const chunks = [];
  for await (const c of body) chunks.push(Buffer.isBuffer(c) ? c : Buffer.from(c));
  return Buffer.concat(chunks);
}

function notFound(key) {
  const e = new Error('no such blob: ' + key);
  e.code = 'ENOENT';
  return e;
}

class LocalBlobStore {
  constructor(root) {
    this.root = path.resolve(root);
  }
  pathOf(key) {
    const p = path.resolve(this.root, checkKey(key));
    if (!p.startsWith(this.root + path.sep)) throw new Error('invalid blob key: ' + key);
    return p;
  }
  async put(key, body) {
    const target = this.pathOf(key);
    // paasport-ignore-next-line local-storage -- the development backend; BLOB_STORE=s3 on the platform
    await fsp.mkdir(path.dirname(target), { recursive: true });
    const tmp = path.join(path.dirname(target), '.blob-' + process.pid + '-' + Math.random().toString(36).slice(2));
    // paasport-ignore-next-line local-storage -- the development backend; BLOB_STORE=s3 on the platform
    await fsp.writeFile(tmp, await toBuffer(body));
    // paasport-ignore-next-line local-storage -- the development backend; BLOB_STORE=s3 on the platform
    await fsp.rename(tmp, target);
  }
  async get(key) {
    try {
      return await fsp.readFile(this.pathOf(key));
    } catch (e) {
      if (e.code === 'ENOENT' || e.code === 'EISDIR') throw notFound(key);
      throw e;
    }
  }
  async exists(key) {
    try {
      return (await fsp.stat(this.pathOf(key))).isFile();
    } catch {
      return false;
    }
  }
  async delete(key) {
    // paasport-ignore-next-line local-storage -- the development backend; BLOB_STORE=s3 on the platform
    await fsp.rm(this.pathOf(key), { force: true });
  }
  async list(prefix = '') {
    const out = [];
    const walk = async (dir) => {
      let entries;
      try {
        entries = await fsp.readdir(dir, { withFileTypes: true });
      } catch (e) {
        if (e.code === 'ENOENT') return;
        throw e;
      }
      for (const e of entries) {
        const abs = path.join(dir, e.name);
        if (e.isDirectory()) await walk(abs);
        else if (e.isFile() && !e.name.startsWith('.blob-')) {
          const key = path.relative(this.root, abs).split(path.sep).join('/');
          if (key.startsWith(prefix)) out.push(key);
        }
      }
    };
    await walk(this.root);
    return out.sort();
  }
}

class S3BlobStore {
  constructor({ endpoint, region, bucket, accessKeyId, secretAccessKey }) {
    // Loaded only when S3 is used, so development needs no SDK.
    this.sdk = require('@aws-sdk/client-s3');
    this.bucket = bucket;
    this.client = new this.sdk.S3Client({ endpoint, region, forcePathStyle: true, credentials: { accessKeyId, secretAccessKey } });
  }
  async ensureBucket() {
    try {
      await this.client.send(new this.sdk.CreateBucketCommand({ Bucket: this.bucket }));
    } catch (e) {
      if (!['BucketAlreadyOwnedByYou', 'BucketAlreadyExists'].includes(e.name)) throw e;
    }
  }
  async put(key, body, options = {}) {
    const data = await toBuffer(body);
    await this.client.send(new this.sdk.PutObjectCommand({ Bucket: this.bucket, Key: checkKey(key), Body: data, ContentType: options.contentType || 'application/octet-stream' }));
  }
  async get(key) {
    try {
      const r = await this.client.send(new this.sdk.GetObjectCommand({ Bucket: this.bucket, Key: checkKey(key) }));
      return Buffer.from(await r.Body.transformToByteArray());
    } catch (e) {
      if (e.name === 'NoSuchKey' || (e.$metadata && e.$metadata.httpStatusCode === 404)) throw notFound(key);
      throw e;
    }
  }
  async exists(key) {
    try {
      await this.client.send(new this.sdk.HeadObjectCommand({ Bucket: this.bucket, Key: checkKey(key) }));
      return true;
    } catch (e) {
      if (e.name === 'NotFound' || (e.$metadata && e.$metadata.httpStatusCode === 404)) return false;
      throw e;
    }
  }
  async delete(key) {
    await this.client.send(new this.sdk.DeleteObjectCommand({ Bucket: this.bucket, Key: checkKey(key) }));
  }
  async list(prefix = '') {
    const keys = [];
    let token;
    do {
      const r = await this.client.send(new this.sdk.ListObjectsV2Command({ Bucket: this.bucket, Prefix: prefix, ContinuationToken: token }));
      for (const o of r.Contents || []) keys.push(o.Key);
      token = r.IsTruncated ? r.NextContinuationToken : undefined;
    } while (token);
    return keys.sort();
  }
}

function createBlobStore(env = process.env) {
  if ((env.BLOB_STORE || 'local').toLowerCase() === 's3') {
    for (const name of ['S3_ENDPOINT', 'S3_BUCKET', 'S3_ACCESS_KEY_ID', 'S3_SECRET_ACCESS_KEY']) if (!env[name]) throw new Error('environment variable ' + name + ' is not set');
    return new S3BlobStore({ endpoint: env.S3_ENDPOINT, region: env.S3_REGION || 'us-east-1', bucket: env.S3_BUCKET, accessKeyId: env.S3_ACCESS_KEY_ID, secretAccessKey: env.S3_SECRET_ACCESS_KEY });
  }
  return new LocalBlobStore(env.BLOB_LOCAL_DIR || './data/blobs');
}

let shared;
function sharedStore() {
  if (!shared) shared = createBlobStore();
  return shared;
}

/**
 * The subset of ${"`"}fs${"`"} the generated patches rewire to: same arguments and callback conventions, the
 * path becoming the key, so a call site changes its receiver and nothing else.
 */
const blobFs = {
  writeFile(file, data, options, cb) {
    if (typeof options === 'function') cb = options;
    sharedStore().put(keyOf(file), data).then(() => cb && cb(null), (e) => cb && cb(e));
  },
  readFile(file, options, cb) {
    if (typeof options === 'function') {
      cb = options;
      options = undefined;
    }
    const enc = typeof options === 'string' ? options : options && options.encoding;
    sharedStore().get(keyOf(file)).then((b) => cb(null, enc ? b.toString(enc) : b), (e) => cb(e));
  },
  unlink(file, cb) {
    sharedStore().delete(keyOf(file)).then(() => cb && cb(null), (e) => cb && cb(e));
  },
  promises: {
    writeFile: (file, data) => sharedStore().put(keyOf(file), data),
    readFile: async (file, options) => {
      const b = await sharedStore().get(keyOf(file));
      const enc = typeof options === 'string' ? options : options && options.encoding;
      return enc ? b.toString(enc) : b;
    },
    unlink: (file) => sharedStore().delete(keyOf(file)),
  },
};

module.exports = { createBlobStore, sharedStore, LocalBlobStore, S3BlobStore, keyOf, checkKey, blobFs };
`,
  'logger.js': String.raw`'use strict';
/**
 * Logs as one JSON object per line on stdout (errors on stderr), where the platform collects them,
 * instead of files on an instance's disk. LOG_LEVEL sets the minimum level.
 */
const LEVELS = { debug: 10, info: 20, warn: 30, error: 40 };

function createLogger(options = {}) {
  const out = options.stdout || process.stdout;
  const err = options.stderr || process.stderr;
  const min = LEVELS[(options.level || process.env.LOG_LEVEL || 'info').toLowerCase()] || LEVELS.info;
  const base = options.fields || {};
  const write = (level, msg, fields) => {
    if (LEVELS[level] < min) return;
    const rec = { time: new Date().toISOString(), level, msg: typeof msg === 'string' ? msg : String(msg), ...base, ...fields };
    if (fields instanceof Error) Object.assign(rec, { error: fields.message, stack: fields.stack });
    (LEVELS[level] >= LEVELS.error ? err : out).write(JSON.stringify(rec) + '\n');
  };
  return {
    debug: (m, f) => write('debug', m, f),
    info: (m, f) => write('info', m, f),
    warn: (m, f) => write('warn', m, f),
    error: (m, f) => write('error', m, f),
    child: (fields) => createLogger({ ...options, fields: { ...base, ...fields } }),
  };
}

/** Console transports for winston, replacing ${"`"}new winston.transports.File(...)${"`"}. */
function winstonTransports(winston) {
  return [new winston.transports.Console({ format: winston.format.combine(winston.format.timestamp(), winston.format.json()) })];
}

module.exports = { createLogger, logger: createLogger(), winstonTransports };
`,
  'multer-storage.js': String.raw`'use strict';
/**
 * A multer storage engine that keeps uploads in the blob store instead of the instance's disk.
 * ${"`"}req.file.key${"`"} (also ${"`"}path${"`"}) is the object key; serve files by reading the store, not the disk.
 */
const crypto = require('node:crypto');
const path = require('node:path');
const { sharedStore, checkKey } = require('./blob-store');

function defaultKey(req, file) {
  return 'uploads/' + crypto.randomUUID() + path.extname(file.originalname || '').toLowerCase().replace(/[^.a-z0-9]/g, '');
}

function blobStorage(options = {}) {
  const store = options.store || sharedStore();
  const keyFor = options.key || defaultKey;
  const maxBytes = options.maxBytes || 50 * 1024 * 1024;
  return {
    _handleFile(req, file, cb) {
      let key;
      try {
        key = checkKey(keyFor(req, file));
      } catch (e) {
        cb(e);
        return;
      }
      const chunks = [];
      let size = 0;
      let failed = false;
      file.stream.on('data', (c) => {
        size += c.length;
        if (size > maxBytes && !failed) {
          failed = true;
          file.stream.resume();
          cb(Object.assign(new Error('upload larger than ' + maxBytes + ' bytes'), { code: 'LIMIT_FILE_SIZE' }));
          return;
        }
        if (!failed) chunks.push(c);
      });
      file.stream.on('error', (e) => {
        if (!failed) {
          failed = true;
          cb(e);
        }
      });
      file.stream.on('end', () => {
        if (failed) return;
        store.put(key, Buffer.concat(chunks), { contentType: file.mimetype }).then(
          () => cb(null, { key, path: key, filename: path.posix.basename(key), size }),
          (e) => cb(e),
        );
      });
    },
    _removeFile(req, file, cb) {
      store.delete(file.key).then(() => cb(null), cb);
    },
  };
}

module.exports = { blobStorage };
`,
  'session.js': String.raw`'use strict';
/**
 * Sessions in Redis instead of the instance's memory, so any replica can serve any request and a
 * restart logs nobody out. Reads REDIS_URL and SESSION_SECRET.
 */
const { RedisStore } = require('connect-redis');
const { createClient } = require('redis');

let client;

// paasport-ignore-next-line host-bound-config -- development default; REDIS_URL on the platform
function redisClient(url = process.env.REDIS_URL || 'redis://localhost:6379') {
  if (!client) {
    client = createClient({ url });
    client.on('error', (e) => process.stderr.write(JSON.stringify({ level: 'error', msg: 'redis session store', error: String(e && e.message) }) + '\n'));
    // Commands issued before the connection is ready are queued by the client.
    client.connect().catch(() => {});
  }
  return client;
}

/** The store to pass as ${"`"}store:${"`"} to express-session. */
function sessionStore(options = {}) {
  return new RedisStore({ client: options.client || redisClient(), prefix: options.prefix || 'sess:' });
}

/** express-session options with the shared store and the secret from the environment. */
function sessionOptions(overrides = {}) {
  const secret = process.env.SESSION_SECRET;
  if (!secret && !overrides.secret) throw new Error('environment variable SESSION_SECRET is not set');
  return { store: sessionStore(), secret, resave: false, saveUninitialized: false, proxy: true, ...overrides };
}

async function closeSessionStore() {
  if (client) {
    const c = client;
    client = undefined;
    await c.quit().catch(() => c.disconnect());
  }
}

module.exports = { sessionStore, sessionOptions, redisClient, closeSessionStore };
`,
  'tiered-cache.js': String.raw`'use strict';
/**
 * Replaces a process-local cache object. Every write goes to Redis, the tier all instances share,
 * so instances never disagree for longer than ${"`"}localTtlMs${"`"}; reads come from a local tier bounded to
 * ${"`"}localCapacity${"`"} entries (least recently used evicted). When the working set outgrows the bound, the
 * overflow is served from Redis; when load falls, local entries expire and the tier shrinks back,
 * re-filling from Redis with what is read again.
 */
class TieredCache {
  constructor({ client, prefix = 'cache:', localCapacity = Number(process.env.CACHE_LOCAL_CAPACITY || 1000), localTtlMs = 5000, ttlSeconds = Number(process.env.CACHE_TTL_SECONDS || 300) }) {
    this.client = client;
    this.prefix = prefix;
    this.localCapacity = localCapacity;
    this.localTtlMs = localTtlMs;
    this.ttlSeconds = ttlSeconds;
    this.local = new Map();
    this.stats = { localHits: 0, sharedHits: 0, misses: 0 };
  }
  remember(key, value) {
    this.local.delete(key);
    this.local.set(key, { value, expiresAt: Date.now() + this.localTtlMs });
    while (this.local.size > this.localCapacity) this.local.delete(this.local.keys().next().value);
  }
  async get(key) {
    const e = this.local.get(key);
    if (e && e.expiresAt > Date.now()) {
      this.local.delete(key);
      this.local.set(key, e);
      this.stats.localHits++;
      return e.value;
    }
    if (e) this.local.delete(key);
    const raw = await this.client.get(this.prefix + key);
    if (raw === null || raw === undefined) {
      this.stats.misses++;
      return undefined;
    }
    this.stats.sharedHits++;
    const value = JSON.parse(raw);
    this.remember(key, value);
    return value;
  }
  async set(key, value) {
    await this.client.set(this.prefix + key, JSON.stringify(value), { EX: this.ttlSeconds });
    this.remember(key, value);
  }
  async delete(key) {
    this.local.delete(key);
    await this.client.del(this.prefix + key);
  }
  /** Drops expired local entries; returns how many. */
  sweep() {
    const now = Date.now();
    let n = 0;
    for (const [k, e] of this.local) if (e.expiresAt <= now) {
      this.local.delete(k);
      n++;
    }
    return n;
  }
  get localSize() {
    return this.local.size;
  }
}

let sharedClient;

/** A cache on a Redis client of its own (REDIS_URL), connected lazily; commands queue until it is ready. */
function tieredCache(name, options = {}) {
  if (!sharedClient) {
    const { createClient } = require('redis');
    // paasport-ignore-next-line host-bound-config -- development default; REDIS_URL on the platform
    sharedClient = createClient({ url: process.env.REDIS_URL || 'redis://localhost:6379' });
    sharedClient.on('error', (e) => process.stderr.write(JSON.stringify({ level: 'error', msg: 'redis cache', error: String(e && e.message) }) + '\n'));
    sharedClient.connect().catch(() => {});
  }
  return new TieredCache({ client: sharedClient, prefix: name + ':', ...options });
}

async function closeTieredCaches() {
  if (sharedClient) {
    const c = sharedClient;
    sharedClient = undefined;
    await c.quit().catch(() => c.disconnect());
  }
}

module.exports = { TieredCache, tieredCache, closeTieredCaches };
`,
  'worker.js': String.raw`'use strict';
/**
 * Entry point of platform-scheduled jobs (Kubernetes CronJob): ${"`"}node paasport/worker.js <job>${"`"} runs
 * one job to completion and exits 0, or 1 when it fails, so the platform sees the outcome. Each job
 * is a module exporting ${"`"}run()${"`"} (sync or async), listed in JOBS below.
 */
const path = require('node:path');
const { logger } = require('./logger');

const JOBS = require('./jobs.json');

async function main(argv) {
  const name = argv[2];
  const job = JOBS[name];
  if (!job) {
    process.stderr.write('usage: node paasport/worker.js <' + Object.keys(JOBS).join('|') + '>\n');
    return 2;
  }
  const started = Date.now();
  const mod = require(path.resolve(__dirname, job.module));
  const run = typeof mod === 'function' ? mod : mod.run;
  if (typeof run !== 'function') {
    logger.error('job module exports no run()', { job: name, module: job.module });
    return 2;
  }
  try {
    await run();
    logger.info('job done', { job: name, ms: Date.now() - started });
    return 0;
  } catch (e) {
    logger.error('job failed', { job: name, error: String(e && e.stack || e) });
    return 1;
  }
}

if (require.main === module) {
  // exit explicitly: connection pools opened by the job would otherwise keep the pod running
  main(process.argv).then((code) => process.exit(code), () => process.exit(1));
}

module.exports = { main };
`,
  'test/blob-store.test.js': String.raw`'use strict';
// Runs against a real S3-compatible server when S3_TEST_ENDPOINT is set (e.g. MinIO, s3rver).
const test = require('node:test');
const assert = require('node:assert');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { LocalBlobStore, S3BlobStore, keyOf, checkKey } = require('../blob-store');

async function exercise(store) {
  await store.put('dir/a b+c.txt', 'hello', { contentType: 'text/plain' });
  await store.put('dir/x.bin', Buffer.from([0, 1, 2, 255]));
  await store.put('other/y', 'y');
  assert.strictEqual((await store.get('dir/a b+c.txt')).toString(), 'hello');
  assert.deepStrictEqual([...(await store.get('dir/x.bin'))], [0, 1, 2, 255]);
  assert.deepStrictEqual(await store.list('dir/'), ['dir/a b+c.txt', 'dir/x.bin']);
  assert.strictEqual(await store.exists('dir/x.bin'), true);
  await store.delete('dir/x.bin');
  assert.strictEqual(await store.exists('dir/x.bin'), false);
  await assert.rejects(store.get('dir/x.bin'), (e) => e.code === 'ENOENT');
  await assert.rejects(store.put('../escape', 'x'), /invalid blob key/);
}

test('keys never escape', () => {
  assert.strictEqual(keyOf('/var/app/uploads/a.png'), 'var/app/uploads/a.png');
  assert.strictEqual(keyOf('uploads/../uploads/b.png'), 'uploads/b.png');
  assert.throws(() => checkKey('a/../../b'), /invalid/);
  assert.throws(() => checkKey('/abs'), /invalid/);
});

test('local directory store', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'blobs-'));
  await exercise(new LocalBlobStore(dir));
  assert.ok(fs.existsSync(path.join(dir, 'dir', 'a b+c.txt')));
});

test('S3-compatible store (path-style)', { skip: !process.env.S3_TEST_ENDPOINT && 'S3_TEST_ENDPOINT not set' }, async () => {
  const store = new S3BlobStore({
    endpoint: process.env.S3_TEST_ENDPOINT,
    region: process.env.S3_REGION || 'us-east-1',
    bucket: 'paasport-test-' + process.pid,
    accessKeyId: process.env.S3_ACCESS_KEY_ID || 'S3RVER',
    secretAccessKey: process.env.S3_SECRET_ACCESS_KEY || 'S3RVER',
  });
  await store.ensureBucket();
  await exercise(store);
});
`,
  'test/logger.test.js': String.raw`'use strict';
const test = require('node:test');
const assert = require('node:assert');
const { createLogger } = require('../logger');

test('JSON lines on stdout, errors on stderr, level filter', () => {
  const out = [];
  const err = [];
  const log = createLogger({ level: 'info', stdout: { write: (s) => out.push(s) }, stderr: { write: (s) => err.push(s) } });
  log.debug('hidden');
  log.info('hello', { orderId: 7 });
  log.child({ req: 'r1' }).error('boom');
  assert.strictEqual(out.length, 1);
  const rec = JSON.parse(out[0]);
  assert.strictEqual(rec.msg, 'hello');
  assert.strictEqual(rec.orderId, 7);
  assert.strictEqual(JSON.parse(err[0]).req, 'r1');
});
`,
  'test/multer-storage.test.js': String.raw`'use strict';
const test = require('node:test');
const assert = require('node:assert');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const express = require('express');
const multer = require('multer');
const { LocalBlobStore } = require('../blob-store');
const { blobStorage } = require('../multer-storage');

test('uploads land in the blob store, not on the instance disk', async () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'uploads-'));
  const store = new LocalBlobStore(root);
  const upload = multer({ storage: blobStorage({ store, maxBytes: 1024 }) });
  const app = express();
  app.post('/upload', upload.single('file'), (req, res) => res.json({ key: req.file.key, size: req.file.size }));
  app.use((err, req, res, next) => res.status(413).json({ error: err.code }));
  const server = app.listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  try {
    const url = 'http://127.0.0.1:' + server.address().port + '/upload';
    const form = new FormData();
    form.append('file', new Blob(['picture bytes']), 'Photo.PNG');
    const res = await fetch(url, { method: 'POST', body: form });
    const body = await res.json();
    assert.strictEqual(res.status, 200);
    assert.match(body.key, /^uploads\/[0-9a-f-]{36}\.png$/);
    assert.strictEqual(body.size, 13);
    assert.strictEqual((await store.get(body.key)).toString(), 'picture bytes');

    const big = new FormData();
    big.append('file', new Blob([Buffer.alloc(4096)]), 'big.bin');
    const tooBig = await fetch(url, { method: 'POST', body: big });
    assert.strictEqual(tooBig.status, 413);
    assert.deepStrictEqual(await store.list('uploads/'), [body.key]);
  } finally {
    server.close();
  }
});
`,
  'test/session.test.js': String.raw`'use strict';
// Needs a real Redis: REDIS_URL.
const test = require('node:test');
const assert = require('node:assert');
const express = require('express');
const session = require('express-session');
const { sessionOptions, closeSessionStore } = require('../session');

function instance() {
  const app = express();
  app.use(session(sessionOptions({ secret: 'test-only-secret' })));
  app.post('/login', (req, res) => {
    req.session.user = 'alice';
    res.send('ok');
  });
  app.get('/me', (req, res) => res.send(req.session.user || 'anonymous'));
  const server = app.listen(0, '127.0.0.1');
  return new Promise((r) => server.once('listening', () => r(server)));
}

test('a session created on one instance is served by another', { skip: !process.env.REDIS_URL && 'REDIS_URL not set' }, async () => {
  const a = await instance();
  const b = await instance();
  try {
    const login = await fetch('http://127.0.0.1:' + a.address().port + '/login', { method: 'POST' });
    const cookie = login.headers.get('set-cookie').split(';')[0];
    const me = await fetch('http://127.0.0.1:' + b.address().port + '/me', { headers: { cookie } });
    assert.strictEqual(await me.text(), 'alice');
    const anon = await fetch('http://127.0.0.1:' + b.address().port + '/me');
    assert.strictEqual(await anon.text(), 'anonymous');
  } finally {
    a.close();
    b.close();
    await closeSessionStore();
  }
});
`,
  'test/tiered-cache.test.js': String.raw`'use strict';
// Needs a real Redis: REDIS_URL.
const test = require('node:test');
const assert = require('node:assert');
const { createClient } = require('redis');
const { TieredCache, tieredCache, closeTieredCaches } = require('../tiered-cache');

test('bounded local tier, overflow and sharing through Redis', { skip: !process.env.REDIS_URL && 'REDIS_URL not set' }, async () => {
  const c1 = createClient({ url: process.env.REDIS_URL });
  const c2 = createClient({ url: process.env.REDIS_URL });
  await c1.connect();
  await c2.connect();
  const prefix = 'tc-test-' + process.pid + ':';
  try {
    const a = new TieredCache({ client: c1, prefix, localCapacity: 3, localTtlMs: 50, ttlSeconds: 60 });
    const b = new TieredCache({ client: c2, prefix, localCapacity: 3, localTtlMs: 50, ttlSeconds: 60 });
    for (let i = 0; i < 10; i++) await a.set('k' + i, { n: i });
    assert.strictEqual(a.localSize, 3, 'the local tier stays within its bound');
    assert.deepStrictEqual(await a.get('k0'), { n: 0 }, 'the overflow is served from Redis');
    assert.strictEqual(a.stats.sharedHits, 1);
    assert.deepStrictEqual(await a.get('k0'), { n: 0 });
    assert.strictEqual(a.stats.localHits, 1, 'a read promotes the entry back to the local tier');
    assert.deepStrictEqual(await b.get('k9'), { n: 9 }, 'another instance sees the write');
    await b.set('k9', { n: 99 });
    await new Promise((r) => setTimeout(r, 80));
    assert.deepStrictEqual(await a.get('k9'), { n: 99 }, 'instances converge once the local entry expires');
    await new Promise((r) => setTimeout(r, 80));
    assert.ok(a.sweep() > 0);
    assert.strictEqual(a.localSize, 0, 'the local tier shrinks back when nothing is read');
    await a.delete('k1');
    assert.strictEqual(await b.get('k1'), undefined);
  } finally {
    for (const k of await c1.keys(prefix + '*')) await c1.del(k);
    await c1.quit();
    await c2.quit();
  }
});

test('tieredCache(name) connects from REDIS_URL', { skip: !process.env.REDIS_URL && 'REDIS_URL not set' }, async () => {
  const cache = tieredCache('tc-env-' + process.pid, { localCapacity: 2 });
  try {
    await cache.set('a', [1, 2]);
    assert.deepStrictEqual(await cache.get('a'), [1, 2]);
    await cache.delete('a');
  } finally {
    await closeTieredCaches();
  }
});
`,
  'test/worker.test.js': String.raw`'use strict';
const test = require('node:test');
const assert = require('node:assert');
const { spawnSync } = require('node:child_process');
const path = require('node:path');

const worker = path.join(__dirname, '..', 'worker.js');

test('an unknown job is a usage error', () => {
  const r = spawnSync(process.execPath, [worker, 'no-such-job'], { encoding: 'utf8' });
  assert.strictEqual(r.status, 2);
  assert.match(r.stderr, /usage/);
});
`,
};
