/**
 * The Java adapters, plain JDK 17 sources (no third-party jar, so they compile with javac alone and
 * cannot clash with the application's libraries). Kept as text because generators are pure.
 */

export const JAVA_SOURCES: Record<string, string> = {
  'BlobStore.java': String.raw`package io.paasport.platform;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.List;

/**
 * Files the application used to keep on the local disk, kept in a store every instance shares.
 * Keys are relative, slash-separated names ("invoices/2024/17.pdf"); {@link #fromEnvironment()} picks
 * the local directory for development or S3-compatible object storage on the platform.
 */
public interface BlobStore {
    void put(String key, byte[] data, String contentType) throws IOException;

    default void put(String key, InputStream in, String contentType) throws IOException {
        put(key, in.readAllBytes(), contentType);
    }

    /** The object's bytes; {@link java.nio.file.NoSuchFileException} when there is none. */
    byte[] get(String key) throws IOException;

    default InputStream open(String key) throws IOException {
        return new ByteArrayInputStream(get(key));
    }

    boolean exists(String key) throws IOException;

    /** Removes the object; removing a missing object is not an error. */
    void delete(String key) throws IOException;

    /** Keys starting with prefix, sorted. */
    List<String> list(String prefix) throws IOException;

    /** A stream that stores what was written under key when closed: the drop-in for {@code new FileOutputStream(path)}. */
    default OutputStream openOutputStream(String key) {
        String checked = checkKey(key);
        return new ByteArrayOutputStream() {
            private boolean closed;

            @Override
            public void close() throws IOException {
                if (closed) return;
                closed = true;
                put(checked, toByteArray(), "application/octet-stream");
            }
        };
    }

    /** Rejects keys that could escape a directory or address another bucket. */
    static String checkKey(String key) {
        if (key == null || key.isEmpty() || key.startsWith("/") || key.contains("\\") || key.contains("\0")) throw new IllegalArgumentException("invalid blob key: " + key);
        for (String seg : key.split("/", -1)) {
            if (seg.isEmpty() || seg.equals(".") || seg.equals("..")) throw new IllegalArgumentException("invalid blob key: " + key);
        }
        return key;
    }

    /** A former local path as a key: the path without its root, so "/var/app/uploads/a.png" is "var/app/uploads/a.png". */
    static String keyOf(String localPath) {
        String p = localPath.replace('\\', '/').replaceFirst("^[A-Za-z]:", "");
        p = Path.of("/" + p).normalize().toString().replace('\\', '/');
        return checkKey(p.replaceFirst("^/+", ""));
    }

    /** BLOB_STORE=s3 → {@link S3BlobStore}; anything else → {@link LocalDirectoryBlobStore} in BLOB_LOCAL_DIR. */
    static BlobStore fromEnvironment() {
        PlatformConfig env = PlatformConfig.fromEnvironment();
        if ("s3".equalsIgnoreCase(env.get("BLOB_STORE", "local"))) {
            return new S3BlobStore(env.require("S3_ENDPOINT"), env.get("S3_REGION", "us-east-1"), env.require("S3_BUCKET"), env.require("S3_ACCESS_KEY_ID"), env.require("S3_SECRET_ACCESS_KEY"));
        }
        return new LocalDirectoryBlobStore(Path.of(env.get("BLOB_LOCAL_DIR", "./data/blobs")));
    }
}
`,
  'BlobStores.java': String.raw`package io.paasport.platform;

import java.io.File;
import java.io.OutputStream;

/** Call-site helpers the generated patches use in place of local file streams. */
public final class BlobStores {
    private static volatile BlobStore shared;

    private BlobStores() {}

    public static BlobStore shared() {
        BlobStore s = shared;
        if (s == null) {
            synchronized (BlobStores.class) {
                if (shared == null) shared = BlobStore.fromEnvironment();
                s = shared;
            }
        }
        return s;
    }

    /** Replaces {@code new FileOutputStream(path)}: the bytes go to the shared store under the path's key on close. */
    public static OutputStream outputStream(String path) {
        return shared().openOutputStream(BlobStore.keyOf(path));
    }

    public static OutputStream outputStream(File file) {
        return outputStream(file.getPath());
    }
}
`,
  'DataSources.java': String.raw`package io.paasport.platform;

import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.sql.DataSource;

/**
 * Replaces {@code new InitialContext().lookup("java:comp/env/jdbc/OrdersDS")} with
 * {@code DataSources.lookup("jdbc/OrdersDS")}, which reads JDBC_ORDERS_DS_URL, JDBC_ORDERS_DS_USER and
 * JDBC_ORDERS_DS_PASSWORD from the environment: the platform binds the database, not the server.
 */
public final class DataSources {
    // paasport-ignore-next-line in-memory-cache -- one DataSource object per JNDI name, no cached data
    private static final Map<String, DataSource> CACHE = new ConcurrentHashMap<>();

    private DataSources() {}

    /** "java:comp/env/jdbc/OrdersDS" → "JDBC_ORDERS_DS". */
    public static String envPrefix(String jndiName) {
        String n = jndiName.replaceFirst("^java:(comp/env/|global/|app/|module/)?", "");
        return n.replaceAll("([a-z0-9])([A-Z])", "$1_$2").replaceAll("[^A-Za-z0-9]+", "_").replaceAll("^_+|_+$", "").toUpperCase(Locale.ROOT);
    }

    public static DataSource lookup(String jndiName) {
        return lookup(jndiName, PlatformConfig.fromEnvironment());
    }

    public static DataSource lookup(String jndiName, PlatformConfig config) {
        String prefix = envPrefix(jndiName);
        return CACHE.computeIfAbsent(prefix + "@" + System.identityHashCode(config), k -> new PlatformDataSource(
                config.require(prefix + "_URL"),
                config.find(prefix + "_USER").orElse(null),
                config.find(prefix + "_PASSWORD").orElse(null)));
    }
}
`,
  'LocalDirectoryBlobStore.java': String.raw`package io.paasport.platform;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** Development backend: one file per key under a root directory. Writes are atomic (temp file + move). */
public final class LocalDirectoryBlobStore implements BlobStore {
    private final Path root;

    public LocalDirectoryBlobStore(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    private Path pathOf(String key) {
        Path p = root.resolve(BlobStore.checkKey(key)).normalize();
        if (!p.startsWith(root)) throw new IllegalArgumentException("invalid blob key: " + key);
        return p;
    }

    @Override
    public void put(String key, byte[] data, String contentType) throws IOException {
        Path target = pathOf(key);
        // paasport-ignore-next-line local-storage -- the development backend; BLOB_STORE=s3 on the platform
        Files.createDirectories(target.getParent());
        // paasport-ignore-next-line local-storage -- the development backend; BLOB_STORE=s3 on the platform
        Path tmp = Files.createTempFile(target.getParent(), ".blob-", ".tmp");
        try {
            Files.write(tmp, data);
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    @Override
    public byte[] get(String key) throws IOException {
        Path p = pathOf(key);
        if (!Files.isRegularFile(p)) throw new NoSuchFileException(key);
        // paasport-ignore-next-line local-storage -- the development backend; BLOB_STORE=s3 on the platform
        return Files.readAllBytes(p);
    }

    @Override
    public boolean exists(String key) {
        return Files.isRegularFile(pathOf(key));
    }

    @Override
    public void delete(String key) throws IOException {
        // paasport-ignore-next-line local-storage -- the development backend; BLOB_STORE=s3 on the platform
        Files.deleteIfExists(pathOf(key));
    }

    @Override
    public List<String> list(String prefix) throws IOException {
        if (!Files.isDirectory(root)) return List.of();
        List<String> keys = new ArrayList<>();
        // paasport-ignore-next-line local-storage -- the development backend; BLOB_STORE=s3 on the platform
        try (Stream<Path> walk = Files.walk(root)) {
            walk.filter(Files::isRegularFile).forEach(p -> {
                String key = root.relativize(p).toString().replace('\\', '/');
                if (!p.getFileName().toString().startsWith(".blob-") && key.startsWith(prefix)) keys.add(key);
            });
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        keys.sort(null);
        return keys;
    }
}
`,
  'PlatformConfig.java': String.raw`package io.paasport.platform;

import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Settings come from the environment (the platform's config binding); the values the application
 * used to hard-code stay as development defaults at the call site, so a laptop still runs without
 * any variable set. Secrets never have defaults: {@link #require} fails fast when one is missing.
 */
public final class PlatformConfig {
    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{(?:env\\.)?([A-Za-z_][A-Za-z0-9_.]*)(?::-?([^}]*))?\\}");
    private static final PlatformConfig ENVIRONMENT = new PlatformConfig(System.getenv());

    private final Map<String, String> values;

    public PlatformConfig(Map<String, String> values) {
        this.values = Map.copyOf(values);
    }

    public static PlatformConfig fromEnvironment() {
        return ENVIRONMENT;
    }

    public Optional<String> find(String name) {
        String v = values.get(name);
        return v == null || v.isEmpty() ? Optional.empty() : Optional.of(v);
    }

    public String get(String name, String defaultValue) {
        return find(name).orElse(defaultValue);
    }

    public int getInt(String name, int defaultValue) {
        Optional<String> v = find(name);
        if (v.isEmpty()) return defaultValue;
        try {
            return Integer.parseInt(v.get().trim());
        } catch (NumberFormatException e) {
            throw new IllegalStateException("environment variable " + name + " is not a whole number: " + v.get(), e);
        }
    }

    public String require(String name) {
        return find(name).orElseThrow(() -> new IllegalStateException("environment variable " + name + " is not set"));
    }

    /** Expands ${"$"}{VAR}, ${"$"}{VAR:default} and ${"$"}{env.VAR:default}; a placeholder without a value or default fails. */
    public String resolve(String text) {
        Matcher m = PLACEHOLDER.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String value = find(m.group(1)).orElse(m.group(2));
            if (value == null) throw new IllegalStateException("environment variable " + m.group(1) + " is not set and has no default");
            m.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        m.appendTail(out);
        return out.toString();
    }

    /** Loads a .properties stream and resolves the placeholders of the generated overlay in every value. */
    public Properties load(InputStream in) throws IOException {
        Properties raw = new Properties();
        raw.load(in);
        Properties resolved = new Properties();
        for (String key : raw.stringPropertyNames()) resolved.setProperty(key, resolve(raw.getProperty(key)));
        return resolved;
    }

    /** Loads a .properties file from the classpath, e.g. {@code loadResource("/app.properties")}. */
    public Properties loadResource(String name) throws IOException {
        try (InputStream in = PlatformConfig.class.getResourceAsStream(name)) {
            if (in == null) throw new IOException("classpath resource not found: " + name);
            return load(in);
        }
    }
}
`,
  'PlatformDataSource.java': String.raw`package io.paasport.platform;

import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * A {@link DataSource} over {@link DriverManager}, configured from the environment instead of an
 * application server's JNDI tree. It does not pool: wrap it in the pool the app already ships (or
 * put a pooling proxy in front of the database) before production load.
 */
public final class PlatformDataSource implements DataSource {
    private final String url;
    private final String user;
    private final String password;
    private PrintWriter logWriter;

    public PlatformDataSource(String url, String user, String password) {
        this.url = url;
        this.user = user;
        this.password = password;
    }

    public String getUrl() {
        return url;
    }

    @Override
    public Connection getConnection() throws SQLException {
        return user == null ? DriverManager.getConnection(url) : DriverManager.getConnection(url, user, password);
    }

    @Override
    public Connection getConnection(String username, String pass) throws SQLException {
        return DriverManager.getConnection(url, username, pass);
    }

    @Override
    public PrintWriter getLogWriter() {
        return logWriter;
    }

    @Override
    public void setLogWriter(PrintWriter out) {
        this.logWriter = out;
    }

    @Override
    public void setLoginTimeout(int seconds) {
        DriverManager.setLoginTimeout(seconds);
    }

    @Override
    public int getLoginTimeout() {
        return DriverManager.getLoginTimeout();
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        throw new SQLFeatureNotSupportedException("no parent logger");
    }

    @Override
    public <T> T unwrap(Class<T> iface) throws SQLException {
        if (iface.isInstance(this)) return iface.cast(this);
        throw new SQLException("not a wrapper for " + iface.getName());
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) {
        return iface.isInstance(this);
    }
}
`,
  'PlatformWorker.java': String.raw`package io.paasport.platform;

import java.util.concurrent.Callable;

/**
 * Entry point of a platform-scheduled job (Kubernetes CronJob): runs one job class, then exits with
 * 0 on success and 1 on failure, so the platform sees the outcome and retries per its policy.
 * The class needs a public no-argument constructor and implements {@link Runnable} or {@link Callable}.
 */
public final class PlatformWorker {
    private PlatformWorker() {}

    public static void main(String[] args) {
        if (args.length != 1) {
            System.err.println("usage: java io.paasport.platform.PlatformWorker <job class implementing Runnable or Callable>");
            System.exit(2);
        }
        System.exit(run(args[0]));
    }

    static int run(String className) {
        long started = System.nanoTime();
        try {
            Object job = Class.forName(className).getDeclaredConstructor().newInstance();
            if (job instanceof Callable<?> c) {
                c.call();
            } else if (job instanceof Runnable r) {
                r.run();
            } else {
                System.err.println("{\"level\":\"error\",\"job\":\"" + className + "\",\"msg\":\"not a Runnable or Callable\"}");
                return 2;
            }
            System.out.println("{\"level\":\"info\",\"job\":\"" + className + "\",\"msg\":\"done\",\"ms\":" + (System.nanoTime() - started) / 1_000_000 + "}");
            return 0;
        } catch (Throwable t) {
            System.err.println("{\"level\":\"error\",\"job\":\"" + className + "\",\"msg\":\"failed\",\"error\":\"" + String.valueOf(t).replace("\\", "\\\\").replace("\"", "\\\"") + "\"}");
            t.printStackTrace();
            return 1;
        }
    }
}
`,
  'S3BlobStore.java': String.raw`package io.paasport.platform;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * S3-compatible object storage with the JDK alone: {@link HttpClient} and AWS Signature Version 4,
 * path-style addressing ({@code endpoint/bucket/key}) so it works against MinIO, Ceph, s3rver and AWS.
 * No SDK jar, so it cannot clash with the application's own libraries.
 */
public final class S3BlobStore implements BlobStore {
    private static final DateTimeFormatter AMZ_DATE = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'");
    private static final Pattern KEY = Pattern.compile("<Key>(.*?)</Key>", Pattern.DOTALL);
    private static final Pattern NEXT = Pattern.compile("<NextContinuationToken>(.*?)</NextContinuationToken>", Pattern.DOTALL);

    private final URI endpoint;
    private final String region;
    private final String bucket;
    private final String accessKey;
    private final String secretKey;
    private final HttpClient http;

    public S3BlobStore(String endpoint, String region, String bucket, String accessKey, String secretKey) {
        this.endpoint = URI.create(endpoint.replaceAll("/+$", ""));
        this.region = region;
        this.bucket = bucket;
        this.accessKey = accessKey;
        this.secretKey = secretKey;
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    }

    /** Creates the bucket if it does not exist (useful for development servers). */
    public void ensureBucket() throws IOException {
        HttpResponse<byte[]> r = send("PUT", "/" + bucket, Map.of(), new byte[0], null);
        if (r.statusCode() != 200 && r.statusCode() != 409) throw failure("create bucket", r);
    }

    @Override
    public void put(String key, byte[] data, String contentType) throws IOException {
        HttpResponse<byte[]> r = send("PUT", objectPath(key), Map.of(), data, contentType == null ? "application/octet-stream" : contentType);
        if (r.statusCode() != 200) throw failure("put " + key, r);
    }

    @Override
    public byte[] get(String key) throws IOException {
        HttpResponse<byte[]> r = send("GET", objectPath(key), Map.of(), null, null);
        if (r.statusCode() == 404) throw new NoSuchFileException(key);
        if (r.statusCode() != 200) throw failure("get " + key, r);
        return r.body();
    }

    @Override
    public boolean exists(String key) throws IOException {
        HttpResponse<byte[]> r = send("HEAD", objectPath(key), Map.of(), null, null);
        if (r.statusCode() == 404) return false;
        if (r.statusCode() != 200) throw failure("head " + key, r);
        return true;
    }

    @Override
    public void delete(String key) throws IOException {
        HttpResponse<byte[]> r = send("DELETE", objectPath(key), Map.of(), null, null);
        if (r.statusCode() != 204 && r.statusCode() != 200 && r.statusCode() != 404) throw failure("delete " + key, r);
    }

    @Override
    public List<String> list(String prefix) throws IOException {
        List<String> keys = new ArrayList<>();
        String token = null;
        do {
            Map<String, String> q = new TreeMap<>();
            q.put("list-type", "2");
            q.put("prefix", prefix);
            if (token != null) q.put("continuation-token", token);
            HttpResponse<byte[]> r = send("GET", "/" + bucket, q, null, null);
            if (r.statusCode() != 200) throw failure("list " + prefix, r);
            String xml = new String(r.body(), StandardCharsets.UTF_8);
            Matcher m = KEY.matcher(xml);
            while (m.find()) keys.add(unescapeXml(m.group(1)));
            Matcher n = NEXT.matcher(xml);
            token = xml.contains("<IsTruncated>true</IsTruncated>") && n.find() ? unescapeXml(n.group(1)) : null;
        } while (token != null);
        keys.sort(null);
        return keys;
    }

    private String objectPath(String key) {
        return "/" + bucket + "/" + BlobStore.checkKey(key);
    }

    private HttpResponse<byte[]> send(String method, String path, Map<String, String> query, byte[] body, String contentType) throws IOException {
        byte[] payload = body == null ? new byte[0] : body;
        String canonicalUri = encodePath(path);
        String canonicalQuery = canonicalQuery(query);
        String amzDate = ZonedDateTime.now(ZoneOffset.UTC).format(AMZ_DATE);
        String date = amzDate.substring(0, 8);
        String payloadHash = hex(sha256(payload));
        String host = endpoint.getHost() + (endpoint.getPort() == -1 ? "" : ":" + endpoint.getPort());
        // The JDK client sets Host itself (restricted header); it sends exactly host[:port] as signed here.
        TreeMap<String, String> headers = new TreeMap<>();
        headers.put("host", host);
        headers.put("x-amz-content-sha256", payloadHash);
        headers.put("x-amz-date", amzDate);
        if (contentType != null) headers.put("content-type", contentType);
        StringBuilder canonicalHeaders = new StringBuilder();
        for (Map.Entry<String, String> h : headers.entrySet()) canonicalHeaders.append(h.getKey()).append(':').append(h.getValue().trim()).append('\n');
        String signedHeaders = String.join(";", headers.keySet());
        String canonicalRequest = method + "\n" + canonicalUri + "\n" + canonicalQuery + "\n" + canonicalHeaders + "\n" + signedHeaders + "\n" + payloadHash;
        String scope = date + "/" + region + "/s3/aws4_request";
        String stringToSign = "AWS4-HMAC-SHA256\n" + amzDate + "\n" + scope + "\n" + hex(sha256(canonicalRequest.getBytes(StandardCharsets.UTF_8)));
        byte[] key = hmac(("AWS4" + secretKey).getBytes(StandardCharsets.UTF_8), date);
        key = hmac(key, region);
        key = hmac(key, "s3");
        key = hmac(key, "aws4_request");
        String signature = hex(hmac(key, stringToSign));
        String authorization = "AWS4-HMAC-SHA256 Credential=" + accessKey + "/" + scope + ", SignedHeaders=" + signedHeaders + ", Signature=" + signature;

        URI uri = URI.create(endpoint.getScheme() + "://" + host + canonicalUri + (canonicalQuery.isEmpty() ? "" : "?" + canonicalQuery));
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(60))
                .header("x-amz-date", amzDate)
                .header("x-amz-content-sha256", payloadHash)
                .header("Authorization", authorization);
        if (contentType != null) b.header("Content-Type", contentType);
        HttpRequest.BodyPublisher publisher = body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(payload);
        b.method(method, publisher);
        try {
            return http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    private static IOException failure(String what, HttpResponse<byte[]> r) {
        String body = new String(r.body(), StandardCharsets.UTF_8);
        return new IOException("S3 " + what + " failed: HTTP " + r.statusCode() + (body.isEmpty() ? "" : ": " + body.substring(0, Math.min(body.length(), 300))));
    }

    /** SigV4 URI encoding: every byte but unreserved characters, '/' kept between segments. */
    static String encodePath(String path) {
        StringBuilder out = new StringBuilder();
        for (String seg : path.split("/", -1)) {
            if (out.length() > 0 || path.startsWith("/")) out.append('/');
            out.append(uriEncode(seg));
        }
        return out.toString().replaceFirst("^//", "/");
    }

    static String uriEncode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20").replace("*", "%2A").replace("%7E", "~");
    }

    private static String canonicalQuery(Map<String, String> query) {
        StringBuilder q = new StringBuilder();
        for (Map.Entry<String, String> e : new TreeMap<>(query).entrySet()) {
            if (q.length() > 0) q.append('&');
            q.append(uriEncode(e.getKey())).append('=').append(uriEncode(e.getValue()));
        }
        return q.toString();
    }

    private static String unescapeXml(String s) {
        return s.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&apos;", "'").replace("&amp;", "&");
    }

    private static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] hmac(byte[] key, String data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String hex(byte[] bytes) {
        StringBuilder sb = new StringBuilder(bytes.length * 2);
        for (byte b : bytes) sb.append(Character.forDigit((b >> 4) & 0xF, 16)).append(Character.forDigit(b & 0xF, 16));
        return sb.toString();
    }
}
`,
  'TieredCache.java': String.raw`package io.paasport.platform;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Replaces a process-local cache map. Every write goes to Redis, the tier all instances share, so
 * instances never disagree for longer than {@code localTtlMillis}; reads are served from a local tier
 * bounded to {@code localCapacity} entries (least recently used evicted). When the working set grows
 * past the bound, the overflow is served from Redis; when load falls, local entries expire and the
 * tier shrinks back, re-filling from Redis only with what is read again.
 */
public final class TieredCache implements AutoCloseable {
    private record Entry(String value, long expiresAt) {}

    private final int localCapacity;
    private final long localTtlMillis;
    private final int ttlSeconds;
    private final String prefix;
    private final Redis redis;
    private final LinkedHashMap<String, Entry> local;
    private long localHits;
    private long sharedHits;
    private long misses;

    public TieredCache(String redisUrl, String prefix, int localCapacity, long localTtlMillis, int ttlSeconds) {
        this.localCapacity = localCapacity;
        this.localTtlMillis = localTtlMillis;
        this.ttlSeconds = ttlSeconds;
        this.prefix = prefix;
        this.redis = new Redis(URI.create(redisUrl));
        this.local = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Entry> eldest) {
                return size() > TieredCache.this.localCapacity;
            }
        };
    }

    /** REDIS_URL, CACHE_LOCAL_CAPACITY (entries) and CACHE_TTL_SECONDS from the environment. */
    public static TieredCache fromEnvironment(String name) {
        PlatformConfig env = PlatformConfig.fromEnvironment();
        // paasport-ignore-next-line host-bound-config -- development default; REDIS_URL on the platform
        return new TieredCache(env.get("REDIS_URL", "redis://localhost:6379"), name + ":", env.getInt("CACHE_LOCAL_CAPACITY", 1000), 5_000, env.getInt("CACHE_TTL_SECONDS", 300));
    }

    public synchronized String get(String key) throws IOException {
        long now = System.currentTimeMillis();
        Entry e = local.get(key);
        if (e != null && e.expiresAt > now) {
            localHits++;
            return e.value;
        }
        if (e != null) local.remove(key);
        String v = redis.get(prefix + key);
        if (v == null) {
            misses++;
            return null;
        }
        sharedHits++;
        local.put(key, new Entry(v, now + localTtlMillis));
        return v;
    }

    public synchronized void put(String key, String value) throws IOException {
        redis.set(prefix + key, value, ttlSeconds);
        local.put(key, new Entry(value, System.currentTimeMillis() + localTtlMillis));
    }

    public synchronized void invalidate(String key) throws IOException {
        local.remove(key);
        redis.del(prefix + key);
    }

    /** Drops expired local entries; call it from a timer, or let reads do it lazily. */
    public synchronized int sweep() {
        long now = System.currentTimeMillis();
        int removed = 0;
        for (Iterator<Entry> it = local.values().iterator(); it.hasNext();) {
            if (it.next().expiresAt <= now) {
                it.remove();
                removed++;
            }
        }
        return removed;
    }

    public synchronized int localSize() {
        return local.size();
    }

    public synchronized String stats() {
        return "{\"local\":" + local.size() + ",\"localHits\":" + localHits + ",\"sharedHits\":" + sharedHits + ",\"misses\":" + misses + "}";
    }

    @Override
    public synchronized void close() throws IOException {
        redis.close();
    }

    /** The few Redis commands the cache needs, over RESP on one socket: no client jar. */
    static final class Redis implements AutoCloseable {
        private final URI uri;
        private Socket socket;
        private InputStream in;
        private OutputStream out;

        Redis(URI uri) {
            this.uri = uri;
        }

        String get(String key) throws IOException {
            Object r = call("GET", key);
            return r == null ? null : (String) r;
        }

        void set(String key, String value, int ttlSeconds) throws IOException {
            call("SET", key, value, "EX", Integer.toString(ttlSeconds));
        }

        void del(String key) throws IOException {
            call("DEL", key);
        }

        private void connect() throws IOException {
            socket = new Socket();
            socket.connect(new InetSocketAddress(uri.getHost(), uri.getPort() == -1 ? 6379 : uri.getPort()), 5_000);
            socket.setSoTimeout(5_000);
            in = new BufferedInputStream(socket.getInputStream());
            out = socket.getOutputStream();
            String userInfo = uri.getUserInfo();
            if (userInfo != null && !userInfo.isEmpty()) {
                int i = userInfo.indexOf(':');
                if (i >= 0) call("AUTH", userInfo.substring(0, i).isEmpty() ? "default" : userInfo.substring(0, i), userInfo.substring(i + 1));
                else call("AUTH", userInfo);
            }
            String path = uri.getPath();
            if (path != null && path.length() > 1) call("SELECT", path.substring(1));
        }

        private Object call(String... args) throws IOException {
            if (socket == null || socket.isClosed()) connect();
            try {
                ByteArrayOutputStream buf = new ByteArrayOutputStream();
                buf.write(("*" + args.length + "\r\n").getBytes(StandardCharsets.UTF_8));
                for (String a : args) {
                    byte[] b = a.getBytes(StandardCharsets.UTF_8);
                    buf.write(("$" + b.length + "\r\n").getBytes(StandardCharsets.UTF_8));
                    buf.write(b);
                    buf.write("\r\n".getBytes(StandardCharsets.UTF_8));
                }
                out.write(buf.toByteArray());
                out.flush();
                return read();
            } catch (IOException e) {
                close();
                throw e;
            }
        }

        private Object read() throws IOException {
            int type = in.read();
            String line = readLine();
            switch (type) {
                case '+':
                    return line;
                case '-':
                    throw new IOException("redis: " + line);
                case ':':
                    return Long.parseLong(line);
                case '$': {
                    int n = Integer.parseInt(line);
                    if (n < 0) return null;
                    byte[] b = in.readNBytes(n);
                    readLine();
                    return new String(b, StandardCharsets.UTF_8);
                }
                case '*': {
                    int n = Integer.parseInt(line);
                    for (int i = 0; i < n; i++) read();
                    return null;
                }
                default:
                    throw new IOException("redis: unexpected reply type " + type);
            }
        }

        private String readLine() throws IOException {
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            int c;
            while ((c = in.read()) != -1) {
                if (c == '\r') {
                    in.read();
                    break;
                }
                b.write(c);
            }
            if (c == -1) throw new IOException("redis: connection closed");
            return b.toString(StandardCharsets.UTF_8);
        }

        @Override
        public void close() {
            try {
                if (socket != null) socket.close();
            } catch (IOException ignored) {
                // closing a broken socket: nothing left to release
            }
            socket = null;
        }
    }
}
`,
};
