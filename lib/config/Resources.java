package lib.config;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * Files shipped with the scripts (JBang {@code //FILES}, Maven resources): the embedded codex.yaml, the
 * schemas, the systemd units. A class of its own so that reading them initialises nothing else (the
 * codex cache reads them on every timer run; {@link CodexLoader}'s set-up builds Jackson's YAML mapper).
 */
public final class Resources {
    private Resources() {}

    public static byte[] bytes(String name) {
        try (InputStream in = Resources.class.getClassLoader().getResourceAsStream(name)) {
            if (in == null)
                throw new IllegalStateException("missing resource " + name + " (JBang: //FILES; Maven: resources)");
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static String text(String name) {
        return new String(bytes(name), StandardCharsets.UTF_8);
    }
}
