package lib.secret;

import java.util.Objects;

/**
 * A secret value (join token, auth key, API token, password). Its toString never shows the value,
 * and creating one registers the value with the {@link Redactor}, so it is masked in every message.
 * Pass it to a process through stdin or the Engine API body, never through argv.
 */
public final class Secret {
    private final String value;
    private final String source;

    public Secret(String value, String source) {
        this.value = Objects.requireNonNull(value, "value");
        this.source = source;
        Redactor.register(value);
    }

    /** The value itself: only for writing it where it is needed (a request body, a process's stdin). */
    public String reveal() {
        return value;
    }

    /** Where it came from ("file /etc/pr-cybr/join-token", "environment SWARM_JOIN_TOKEN"), for messages. */
    public String source() {
        return source;
    }

    @Override
    public String toString() {
        return "Secret(" + source + ")";
    }
}
