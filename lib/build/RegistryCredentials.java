package lib.build;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import lib.cli.N0d3Exception;
import lib.config.Settings;
import lib.secret.Secret;
import lib.secret.SecretSource;

/**
 * Registry login: the user name from --registry-username or REGISTRY_USERNAME, the password from
 * --registry-password-file, REGISTRY_PASSWORD_FILE or REGISTRY_PASSWORD (lib.secret: registered with the
 * redactor, never put on a command line). Neither set means no login (an open registry, or one the docker
 * client is already logged in to); only one of the two set is a usage error.
 */
public record RegistryCredentials(String username, Secret password) {
    public static Optional<RegistryCredentials> resolve(
            String usernameFlag, Path passwordFile, Map<String, String> env) {
        String given = usernameFlag == null || usernameFlag.isBlank() ? null : usernameFlag.strip();
        Settings.Value<String> named =
                Settings.pick(given, "--registry-username", env, "REGISTRY_USERNAME", new Settings.Value<>(null, null));
        String user = named.value();
        Optional<Secret> password = SecretSource.resolve("REGISTRY_PASSWORD", passwordFile, env);
        if (user == null && password.isEmpty()) return Optional.empty();
        if (user == null) {
            throw N0d3Exception.usage(
                    "a registry password is set (" + password.get().source() + ") but no user name:"
                            + " set REGISTRY_USERNAME or --registry-username");
        }
        if (password.isEmpty()) {
            throw N0d3Exception.usage(
                    "REGISTRY_USERNAME / --registry-username is set but no password: set REGISTRY_PASSWORD_FILE"
                            + " (a file), REGISTRY_PASSWORD or --registry-password-file");
        }
        if (user.chars().anyMatch(Character::isWhitespace)) {
            throw N0d3Exception.usage(named.from() + ": '" + user + "' contains white space");
        }
        return Optional.of(new RegistryCredentials(user, password.get()));
    }

    @Override
    public String toString() {
        return "RegistryCredentials(" + username + ", " + password + ")";
    }
}
