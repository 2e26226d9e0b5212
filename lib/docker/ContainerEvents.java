package lib.docker;

import java.io.IOException;
import java.net.URLEncoder;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * dockerd's event stream for the container changes that alter its container list (a container created, started,
 * stopped, paused, renamed, removed, or its health changed), followed on a thread of its own over one connection
 * ({@code GET /events} with a filter; exec events, which every health check makes, are filtered out by dockerd).
 * A long-lived sampler lists again only when the {@link #generation} moved since its last list: it moves on every
 * event, and when the stream starts or ends. The events themselves are not read, only that bytes came.
 */
public final class ContainerEvents implements AutoCloseable {
    /** The actions that change what GET /containers/json says of a container (state, names, health). */
    static final String FILTER = "{\"type\":[\"container\"],\"event\":[\"create\",\"start\",\"restart\",\"stop\","
            + "\"die\",\"kill\",\"oom\",\"pause\",\"unpause\",\"rename\",\"destroy\",\"health_status\"]}";

    private final DockerHost host;
    private final AtomicLong generation = new AtomicLong();
    private volatile SocketChannel channel;
    private volatile boolean following;
    private volatile CountDownLatch answered;
    private volatile boolean closed;
    /** After a subscription that failed (no answer, not a 200): when to try again, in System.nanoTime. */
    private volatile long retryAt;

    private Thread thread;

    /** How long after a failed subscription the next one is tried (dockerd down, or /events refused by a proxy). */
    static final Duration RETRY_AFTER = Duration.ofSeconds(60);

    public ContainerEvents(DockerHost host) {
        this.host = host;
    }

    /** Changes whenever an event arrived, and when the stream started or ended. */
    public long generation() {
        return generation.get();
    }

    /**
     * Follows the stream if it does not already: subscribes on a daemon thread and waits up to {@code wait} for
     * dockerd's answer. True when the stream is followed now, so that a list taken after this call and after
     * reading {@link #generation} is current until the generation moves.
     */
    public synchronized boolean follow(Duration wait) {
        if (following) return true;
        if (closed) return false;
        if (thread == null || !thread.isAlive()) {
            if (thread != null && System.nanoTime() - retryAt < 0) return false;
            CountDownLatch latch = new CountDownLatch(1);
            answered = latch;
            thread = new Thread(() -> run(latch), "docker-events");
            thread.setDaemon(true);
            thread.start();
        }
        try {
            answered.await(wait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return following;
    }

    /** True while the stream is followed. */
    public boolean following() {
        return following;
    }

    private void run(CountDownLatch latch) {
        try (SocketChannel ch = SocketChannel.open(host.family())) {
            channel = ch;
            if (closed) return;
            ch.connect(host.address());
            String request = EngineHttp.requestHead(
                            host,
                            "GET",
                            "/v" + DockerClient.API_VERSION + "/events?filters="
                                    + URLEncoder.encode(FILTER, StandardCharsets.UTF_8))
                    .append("\r\n")
                    .toString();
            ByteBuffer out = ByteBuffer.wrap(request.getBytes(StandardCharsets.US_ASCII));
            while (out.hasRemaining()) ch.write(out);
            byte[] buf = new byte[4096];
            ByteBuffer in = ByteBuffer.wrap(buf);
            if (!answered200(ch, in, buf)) return;
            following = true;
            generation.incrementAndGet();
            latch.countDown();
            while (true) {
                in.clear();
                if (ch.read(in) < 0) return;
                generation.incrementAndGet(); // an event (or the stream's framing around one)
            }
        } catch (IOException | RuntimeException e) {
            // no stream (no dockerd, closed, refused): the sampler lists every time until it follows again
        } finally {
            if (!following) retryAt = System.nanoTime() + RETRY_AFTER.toNanos();
            following = false;
            channel = null;
            generation.incrementAndGet();
            latch.countDown();
        }
    }

    /** Reads the status line and headers into {@code buf} (behind {@code in}); true on a 200. Bytes after the headers count as an event. */
    private boolean answered200(SocketChannel ch, ByteBuffer in, byte[] buf) throws IOException {
        while (true) {
            if (!in.hasRemaining()) return false; // headers larger than 4 KiB: not dockerd
            if (ch.read(in) < 0) return false;
            String head = new String(buf, 0, in.position(), StandardCharsets.ISO_8859_1);
            int end = head.indexOf("\r\n\r\n");
            if (end < 0) continue;
            if (EngineHttp.status(head.substring(0, end).toLowerCase(Locale.ROOT)) != 200) return false;
            if (in.position() > end + 4) generation.incrementAndGet();
            return true;
        }
    }

    /** Stops following and ends the thread. */
    @Override
    public synchronized void close() {
        closed = true;
        SocketChannel ch = channel;
        if (ch != null) {
            try {
                ch.close();
            } catch (IOException e) {
                // closing a stream we only read from
            }
        }
        following = false;
    }
}
