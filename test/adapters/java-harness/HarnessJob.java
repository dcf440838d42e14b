/** A job for PlatformWorker: succeeds, or fails when HARNESS_FAIL is set. */
public class HarnessJob implements Runnable {
    @Override
    public void run() {
        if (System.getenv("HARNESS_FAIL") != null) throw new IllegalStateException("job failed on purpose");
        System.out.println("job ran");
    }
}
