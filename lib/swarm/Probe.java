package lib.swarm;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NoRouteToHostException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * TCP reachability: a connect with a short timeout, optionally from a given local address (so that
 * the probe takes the path the swarm traffic will take). Probes of several managers run at once and
 * are read back in the try order, so k dead managers cost one timeout, not k.
 */
public final class Probe {
    private Probe() {}

    public record Result(String target, boolean ok, long millis, String reason) {
        public String describe() {
            return ok ? "open (" + millis + " ms)" : reason;
        }
    }

    /** One TCP connect from {@code source} (null: any) to host:port within the timeout. */
    public static Result tcp(String host, int port, InetAddress source, Duration timeout) {
        String target = (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
        long t0 = System.nanoTime();
        try (Socket s = new Socket()) {
            if (source != null) s.bind(new InetSocketAddress(source, 0));
            InetAddress addr = InetAddress.getByName(host);
            s.connect(new InetSocketAddress(addr, port), (int) Math.max(1, timeout.toMillis()));
            return new Result(target, true, ms(t0), "open");
        } catch (UnknownHostException e) {
            return new Result(target, false, ms(t0), "unknown host");
        } catch (SocketTimeoutException e) {
            return new Result(target, false, ms(t0), "no answer within " + timeout.toMillis() + " ms");
        } catch (ConnectException e) {
            return new Result(target, false, ms(t0), "connection refused (nothing listens on " + port + "/tcp)");
        } catch (NoRouteToHostException e) {
            return new Result(target, false, ms(t0), "no route to host");
        } catch (IOException e) {
            return new Result(
                    target, false, ms(t0), String.valueOf(e.getMessage()).toLowerCase(Locale.ROOT));
        }
    }

    /** Probes run concurrently; {@link #next()} hands them back in the order given. */
    public static final class Round {
        private final List<ManagerCandidate> candidates;
        private final List<CompletableFuture<Result>> futures = new ArrayList<>();
        private final long deadline;
        private final Duration timeout;
        private int next;

        public Round(List<ManagerCandidate> candidates, InetAddress source, Duration timeout) {
            this.candidates = candidates;
            this.timeout = timeout;
            this.deadline = System.nanoTime() + timeout.toNanos() + TimeUnit.MILLISECONDS.toNanos(500);
            for (ManagerCandidate c : candidates) {
                CompletableFuture<Result> f = new CompletableFuture<>();
                Thread t = new Thread(
                        () -> f.complete(tcp(c.address().host(), c.address().port(), source, timeout)),
                        "probe-" + c.address());
                t.setDaemon(true);
                t.start();
                futures.add(f);
            }
        }

        public boolean hasNext() {
            return next < candidates.size();
        }

        public ManagerCandidate peek() {
            return candidates.get(next);
        }

        /** The next manager's result, waiting for it at most until the round's deadline. */
        public Result next() {
            CompletableFuture<Result> f = futures.get(next);
            ManagerCandidate c = candidates.get(next++);
            long left = Math.max(0, deadline - System.nanoTime());
            try {
                return f.get(left, TimeUnit.NANOSECONDS);
            } catch (TimeoutException e) {
                return new Result(
                        c.address().toString(),
                        false,
                        timeout.toMillis(),
                        "no answer within " + timeout.toMillis() + " ms");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return new Result(c.address().toString(), false, 0, "interrupted");
            } catch (ExecutionException e) {
                return new Result(c.address().toString(), false, 0, String.valueOf(e.getCause()));
            }
        }
    }

    private static long ms(long t0) {
        return (System.nanoTime() - t0) / 1_000_000;
    }
}
