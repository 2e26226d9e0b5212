package lib.install;

import java.util.Optional;
import lib.config.Settings;
import lib.http.Endpoint;
import lib.http.Response;
import lib.http.Retry;
import lib.http.TransportException;
import lib.mgmt.MgmtClient;

/** Registration over lib/mgmt's {@link MgmtClient} (base URL, Bearer token, TLS, timeouts are its business). */
public final class MgmtRegistration implements RegistrationTransport {
    private final MgmtClient client;
    private final String tokenSource;

    public MgmtRegistration(MgmtClient client, String tokenSource) {
        this.client = client;
        this.tokenSource = tokenSource;
    }

    /** Empty when no management node is configured or no API token is set. */
    public static Optional<RegistrationTransport> fromSettings(Settings s) {
        var token = s.apiToken();
        if (token.isEmpty()) return Optional.empty();
        return MgmtClient.fromSettings(s).map(c -> new MgmtRegistration(c, token.get().source()));
    }

    @Override
    public Response send(Endpoint e, Retry retry, Retry.Listener listener) throws TransportException {
        return client.send(e, retry, listener);
    }

    @Override
    public String describe() {
        return client.base().toString().replaceAll("/+$", "");
    }

    @Override
    public String tokenSource() {
        return tokenSource;
    }

    @Override
    public String authMessage(Response r, Endpoint e) {
        return client.authMessage(r, e);
    }
}
