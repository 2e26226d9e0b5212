package lib.swarm;

import java.time.Duration;
import java.util.function.Supplier;
import lib.cli.Log;
import lib.cli.N0d3Exception;
import lib.docker.DockerClient;

/**
 * --watch: a health loop. Every interval it reads the node's swarm state; when the node has dropped
 * out (inactive, pending, error) it rejoins through the same checked path as a normal run, unless
 * the node left on purpose (--leave wrote the {@link LeftMarker}). Failures back off (doubling up to
 * {@link #MAX_BACKOFF}); the loop ends on SIGTERM after the round in progress. The systemd unit
 * configs/systemd/pr-cybr-swarm-watch.service runs it.
 */
public final class Watch {
    public static final Duration MAX_BACKOFF = Duration.ofMinutes(5);
    private final Object lock = new Object();
    private volatile boolean stop;
    private final java.util.concurrent.CountDownLatch stopped = new java.util.concurrent.CountDownLatch(1);

    /** Ask the loop to end (from a shutdown hook); wakes it if sleeping. */
    public void stop() {
        stop = true;
        synchronized (lock) {
            lock.notifyAll();
        }
    }

    /** For a shutdown hook: stop the loop and wait (bounded) until the round in progress has ended. */
    public void stopAndWait(Duration max) {
        stop();
        try {
            stopped.await(max.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Runs until {@link #stop()} or until {@code maxRounds} rounds (0 = no limit) are done.
     * @param rejoin a full join run (token read afresh each time)
     */
    public int loop(
            DockerClient docker, LeftMarker marker, Duration interval, int maxRounds, Supplier<Outcome> rejoin) {
        try {
            return rounds(docker, marker, interval, maxRounds, rejoin);
        } finally {
            stopped.countDown();
        }
    }

    private int rounds(
            DockerClient docker, LeftMarker marker, Duration interval, int maxRounds, Supplier<Outcome> rejoin) {
        Log.info("watch: checking swarm membership every " + lib.config.Units.format(interval));
        String last = "";
        Duration wait = interval;
        for (int round = 1; !stop && (maxRounds == 0 || round <= maxRounds); round++) {
            String now;
            try {
                SwarmState st = SwarmState.read(docker);
                now = st.localState();
                if (st.active()) {
                    if (!now.equals(last)) Log.ok("watch: node " + st.describe());
                    wait = interval;
                } else if (st.localState().equals(SwarmState.LOCKED)) {
                    if (!now.equals(last))
                        Log.warn("watch: the swarm is locked: unlock it with 'docker swarm unlock'; not rejoining");
                } else if (marker.present()) {
                    now = "left";
                    if (!now.equals(last))
                        Log.info("watch: the node left its swarm on purpose (" + marker.file() + "): not rejoining");
                } else {
                    Log.warn("watch: node is " + st.localState() + (st.error().isEmpty() ? "" : " (" + st.error() + ")")
                            + ": rejoining");
                    try {
                        Outcome o = rejoin.get();
                        Log.ok("watch: " + o.text().lines().findFirst().orElse(""));
                        now = SwarmState.ACTIVE;
                        wait = interval;
                    } catch (N0d3Exception e) {
                        Log.error("watch: rejoin failed: " + e.getMessage());
                        wait = wait.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : wait.multipliedBy(2);
                        Log.info("watch: next try in " + lib.config.Units.format(wait));
                    }
                }
            } catch (N0d3Exception e) {
                now = "docker-down";
                if (!now.equals(last)) Log.warn("watch: " + e.getMessage());
            }
            last = now;
            if (maxRounds != 0 && round == maxRounds) break;
            synchronized (lock) {
                if (stop) break;
                try {
                    lock.wait(wait.toMillis());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
        }
        Log.info("watch: stopped");
        return 0;
    }
}
