package lib.install;

import lib.http.Endpoint;
import lib.http.Response;
import lib.http.Retry;
import lib.http.TransportException;

/**
 * How the registration request reaches the management node: the call with the {@link RegistrationPhase}'s
 * retries, its last answer, or a TransportException when the last try got no HTTP answer at all.
 */
public interface RegistrationTransport {
    Response send(Endpoint e, Retry retry, Retry.Listener listener) throws TransportException;

    /** The base URL, for messages. */
    String describe();

    /** Where the token came from, for the plan (never the token). */
    String tokenSource();

    /** The one-line message for a 401/403 answer. */
    String authMessage(Response r, Endpoint e);
}
