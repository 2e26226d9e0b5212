package lib.overlay;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import lib.secret.Secret;
import lib.secret.SecretSource;

/**
 * configs/tailscale/tailscale.conf as a typed record (snake_case in the file, camelCase here);
 * schemas/tailscale.schema.json is its contract. Load it with {@link OverlayConfigs#tailscale}.
 */
public record TailscaleConfig(
        AuthKey authKey,
        String hostname,
        List<String> tags,
        Boolean acceptRoutes,
        Boolean acceptDns,
        Boolean advertiseExitNode,
        String exitNode,
        Boolean exitNodeAllowLanAccess,
        List<String> advertiseRoutes,
        String loginServer,
        Duration upTimeout) {

    /** Where the auth key comes from: an environment variable name and/or a file path, never the key. */
    public record AuthKey(String env, String file) {}

    /** The tailnet host name for this host: placeholders replaced, then cut to a valid DNS label. */
    public String hostnameFor(String systemHostName, String nodeName) {
        return NamePattern.dnsLabel(NamePattern.render(hostname, systemHostName, nodeName));
    }

    /**
     * The auth key: ENV_FILE, then ENV (the environment wins, as everywhere in this project), then the
     * configured file when it exists. Empty when none is available (an already logged-in node needs none).
     */
    public Optional<Secret> authKey(Map<String, String> environment) {
        String name = authKey == null || authKey.env() == null ? "TAILSCALE_AUTH_KEY" : authKey.env();
        Optional<Secret> fromEnv = SecretSource.resolve(name, null, environment);
        if (fromEnv.isPresent()) return fromEnv;
        if (authKey != null && authKey.file() != null && Files.exists(Path.of(authKey.file()))) {
            return Optional.of(SecretSource.fromFile(Path.of(authKey.file()), "tailscale.conf auth_key.file"));
        }
        return Optional.empty();
    }
}
