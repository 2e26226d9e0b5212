package lib.install;

import java.io.IOException;
import java.util.Map;
import java.util.Optional;
import lib.config.Settings;
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
    public Answer post(String path, byte[] json) throws IOException {
        MgmtClient.Response r = client.postJson(path, json, Map.of());
        return new Answer(r.status(), r.body());
    }

    @Override
    public String describe() {
        return client.base().toString().replaceAll("/+$", "");
    }

    @Override
    public String tokenSource() {
        return tokenSource;
    }
}
