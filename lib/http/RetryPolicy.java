package lib.http;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Exponential back-off: the n-th consecutive failure waits {@code min(max, initial * 2^(n-1))}; with jitter
 * (the default) a random time between half and all of that ("equal jitter"), so a fleet that lost its
 * management node does not come back in lock-step.
 */
public record RetryPolicy(Duration initial, Duration max, boolean jitter) {
    public static final RetryPolicy DEFAULT = new RetryPolicy(Duration.ofSeconds(30), Duration.ofMinutes(15));

    public RetryPolicy {
        if (initial.isNegative() || max.isNegative())
            throw new IllegalArgumentException("back-off durations must not be negative");
        if (max.compareTo(initial) < 0) max = initial;
    }

    /** With jitter. */
    public RetryPolicy(Duration initial, Duration max) {
        this(initial, max, true);
    }

    /** {@code initial}, twice that, four times ..., no jitter, up to a day. */
    public static RetryPolicy doubling(Duration initial) {
        return new RetryPolicy(initial, Duration.ofDays(1), false);
    }

    /** The upper bound of the wait after {@code failures} consecutive failures (failures >= 1). */
    public Duration ceiling(int failures) {
        if (failures <= 0) return Duration.ZERO;
        long ms = initial.toMillis();
        for (int i = 1; i < failures && ms < max.toMillis(); i++) ms *= 2;
        return Duration.ofMillis(Math.min(ms, max.toMillis()));
    }

    /** The wait after {@code failures} consecutive failures: the ceiling, jittered into [ceiling/2, ceiling]. */
    public Duration delay(int failures) {
        long c = ceiling(failures).toMillis();
        if (!jitter || c <= 1) return Duration.ofMillis(c);
        return Duration.ofMillis(c / 2 + ThreadLocalRandom.current().nextLong(c - c / 2 + 1));
    }

    /** 408, 429 and 5xx are worth retrying; other statuses will not change by waiting. */
    public static boolean retryable(int status) {
        return status == 408 || status == 429 || status >= 500;
    }
}
