package lib.http;

import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import lib.secret.Redactor;

/** An HTTP answer: the status, the body as text, the headers (names in lower case, first value of each). */
public record Response(int status, String body, Map<String, String> headers) {
    public Response {
        body = body == null ? "" : body;
        headers = Map.copyOf(headers);
    }

    public boolean ok() {
        return status >= 200 && status < 300;
    }

    /** 401 or 403: the credentials are missing, wrong or not allowed; waiting will not help. */
    public boolean authFailure() {
        return status == 401 || status == 403;
    }

    public Optional<String> header(String name) {
        return Optional.ofNullable(headers.get(name.toLowerCase(Locale.ROOT)));
    }

    /** The first 200 characters of the body on one line, secrets masked, for messages. */
    public String brief() {
        String b = Redactor.redact(body.strip().replaceAll("\\s+", " "));
        return b.length() > 200 ? b.substring(0, 200) + "..." : b;
    }

    /** The server's clock (its Date header), when it sent one. */
    public Optional<Instant> date() {
        return header("Date").flatMap(Response::httpDate);
    }

    /**
     * How long the server asks the client to wait: Retry-After in seconds or as an HTTP date, else
     * X-RateLimit-Reset in (fractional) seconds; empty when it says neither.
     */
    public Optional<Duration> retryAfter(Instant now) {
        Optional<String> ra = header("Retry-After").map(String::strip);
        if (ra.isPresent()) {
            try {
                return Optional.of(Duration.ofSeconds(Math.max(0, Long.parseLong(ra.get()))));
            } catch (NumberFormatException e) {
                Optional<Instant> at = httpDate(ra.get());
                if (at.isPresent())
                    return Optional.of(at.get().isBefore(now) ? Duration.ZERO : Duration.between(now, at.get()));
            }
        }
        try {
            return header("X-RateLimit-Reset")
                    .map(v -> Duration.ofMillis((long) Math.ceil(Double.parseDouble(v.strip()) * 1000)));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** An HTTP Date header (RFC 1123), or empty when it is not one. */
    public static Optional<Instant> httpDate(String v) {
        try {
            return Optional.of(
                    ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant());
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }
}
