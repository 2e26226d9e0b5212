package lib.swarm;

import java.time.Duration;
import lib.cli.Log;

/** Progress for a blocking step: a line every few seconds while it runs ("waiting for ... (4s)"). */
final class Waiting implements AutoCloseable {
    private final Thread ticker;
    private volatile boolean done;

    Waiting(String what, Duration every) {
        long t0 = System.nanoTime();
        ticker = new Thread(
                () -> {
                    while (!done) {
                        try {
                            Thread.sleep(every.toMillis());
                        } catch (InterruptedException e) {
                            return;
                        }
                        if (!done) Log.info("  ... " + what + " (" + (System.nanoTime() - t0) / 1_000_000_000 + "s)");
                    }
                },
                "waiting");
        ticker.setDaemon(true);
        ticker.start();
    }

    @Override
    public void close() {
        done = true;
        ticker.interrupt();
    }
}
