package lib.install;

import java.io.IOException;

/**
 * How the registration request reaches the management node: one POST, its status and body, or an
 * IOException when there was no HTTP answer at all (refused, DNS, TLS, timeout). The retry policy is the
 * {@link RegistrationPhase}'s; the transport sends once.
 */
public interface RegistrationTransport {
    record Answer(int status, String body) {}

    Answer post(String path, byte[] json) throws IOException;

    /** The base URL, for messages. */
    String describe();

    /** Where the token came from, for a 401/403 message (never the token). */
    String tokenSource();
}
