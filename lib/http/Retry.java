package lib.http;

import java.time.Duration;
import java.time.Instant;
import java.util.function.IntPredicate;

/**
 * How a call is tried again: at most {@code attempts} tries; again after an answer whose status
 * {@code again} accepts and, when {@code transportFailures}, after no answer at all; between tries the
 * {@code backoff}'s wait, or, when {@code retryAfter}, the wait the server asks for (capped at the
 * back-off's maximum).
 */
public record Retry(
        int attempts, RetryPolicy backoff, IntPredicate again, boolean transportFailures, boolean retryAfter) {
    /** Told before each wait: the try that failed (from 1), why ("HTTP 503: ...", "no answer (...)") and the wait. */
    @FunctionalInterface
    public interface Listener {
        void retrying(int attempt, String why, Duration wait);
    }

    /** The wait after the {@code failures}-th failed try; {@code answer} is null when there was none. */
    Duration wait(int failures, Response answer) {
        if (retryAfter && answer != null) {
            var asked = answer.retryAfter(Instant.now());
            if (asked.isPresent()) return asked.get().compareTo(backoff.max()) > 0 ? backoff.max() : asked.get();
        }
        return backoff.delay(failures);
    }
}
