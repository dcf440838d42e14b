import io.paasport.platform.BlobStore;
import io.paasport.platform.DataSources;
import io.paasport.platform.LocalDirectoryBlobStore;
import io.paasport.platform.PlatformConfig;
import io.paasport.platform.S3BlobStore;
import io.paasport.platform.TieredCache;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.Map;

/** Drives the generated Java adapters against real servers; the test asserts the printed lines. */
public class Harness {
    public static void main(String[] a) throws Exception {
        String s3 = a[0];
        String redis = a[1];
        Path tmp = Path.of(a[2]);
        PlatformConfig c = new PlatformConfig(Map.of("DB_URL", "jdbc:postgresql://db:5432/x"));
        System.out.println("resolve=" + c.resolve("${DB_URL:jdbc:mysql://old/x}|${MISSING:dflt}|${env.DB_URL}"));
        try {
            c.resolve("${NOPE}");
        } catch (IllegalStateException e) {
            System.out.println("missing=" + e.getMessage());
        }
        BlobStore local = new LocalDirectoryBlobStore(tmp);
        exercise("local", local);
        S3BlobStore s3s = new S3BlobStore(s3, "us-east-1", "harness", "S3RVER", "S3RVER");
        s3s.ensureBucket();
        exercise("s3", s3s);
        S3BlobStore bad = new S3BlobStore(s3, "us-east-1", "harness", "S3RVER", "WRONG-SECRET");
        try {
            bad.get("a/b c+d.txt");
            System.out.println("badsig=accepted");
        } catch (IOException e) {
            System.out.println("badsig=" + (e.getMessage().contains("HTTP 403") ? "rejected" : e.getMessage()));
        }
        try (TieredCache t1 = new TieredCache(redis, "h:", 2, 100, 60); TieredCache t2 = new TieredCache(redis, "h:", 2, 100, 60)) {
            for (int i = 0; i < 5; i++) t1.put("k" + i, "v" + i);
            System.out.println("cache=" + t1.localSize() + "," + t1.get("k0") + "," + t2.get("k4"));
            t2.put("k4", "changed");
            Thread.sleep(150);
            System.out.println("converged=" + t1.get("k4"));
            t1.invalidate("k1");
            System.out.println("invalidated=" + t2.get("k1"));
            Thread.sleep(150);
            t1.sweep();
            System.out.println("shrunk=" + t1.localSize());
        }
        System.out.println("prefix=" + DataSources.envPrefix("java:comp/env/jdbc/OrdersDS"));
        try {
            DataSources.lookup("jdbc/OrdersDS", new PlatformConfig(Map.of())).getConnection();
        } catch (IllegalStateException e) {
            System.out.println("ds=" + e.getMessage());
        }
        try {
            DataSources.lookup("jdbc/OrdersDS", new PlatformConfig(Map.of("JDBC_ORDERS_DS_URL", "jdbc:nosuchdriver:x"))).getConnection();
        } catch (SQLException e) {
            System.out.println("driver=" + e.getMessage());
        }
        try (OutputStream o = local.openOutputStream("stream/x.bin")) {
            o.write(new byte[] {7, 8});
        }
        System.out.println("stream=" + Arrays.toString(local.get("stream/x.bin")));
        System.out.println("key=" + BlobStore.keyOf("/var/shop/uploads/../uploads/a.png"));
    }

    static void exercise(String name, BlobStore s) throws Exception {
        s.put("a/b c+d.txt", "hello".getBytes(), "text/plain");
        s.put("a/x.bin", new byte[] {1, 2}, null);
        s.put("z", "z".getBytes(), null);
        String got = new String(s.get("a/b c+d.txt"));
        boolean existed = s.exists("a/x.bin");
        s.delete("a/x.bin");
        boolean gone = !s.exists("a/x.bin");
        boolean missing = false;
        try {
            s.get("a/x.bin");
        } catch (NoSuchFileException e) {
            missing = true;
        }
        boolean rejected = false;
        try {
            s.put("../escape", new byte[0], null);
        } catch (IllegalArgumentException e) {
            rejected = true;
        }
        System.out.println(name + "=" + got + "," + existed + "," + gone + "," + missing + "," + rejected + "," + s.list("a/"));
    }
}
