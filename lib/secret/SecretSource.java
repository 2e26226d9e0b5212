package lib.secret;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import lib.cli.Log;
import lib.cli.N0d3Exception;

/**
 * Resolves a secret from, in order: an explicit file (a flag), {@code NAME_FILE} in the environment,
 * {@code NAME} in the environment. Values are trimmed of surrounding white space. A file readable by
 * group or others gets a warning; a missing or empty file is a usage error (exit 2) naming it.
 */
public final class SecretSource {
    private SecretSource() {}

    public static Optional<Secret> resolve(String name, Path explicitFile, Map<String, String> env) {
        if (explicitFile != null) return Optional.of(fromFile(explicitFile, "--" + name.toLowerCase().replace('_', '-') + "-file"));
        String file = env.get(name + "_FILE");
        if (file != null && !file.isBlank()) return Optional.of(fromFile(Path.of(file), name + "_FILE"));
        String value = env.get(name);
        if (value != null && !value.isBlank()) return Optional.of(new Secret(value.strip(), "environment " + name));
        return Optional.empty();
    }

    public static Secret fromFile(Path file, String via) {
        String value;
        try {
            value = Files.readString(file, StandardCharsets.UTF_8).strip();
        } catch (NoSuchFileException e) {
            throw N0d3Exception.usage(file + ": secret file not found (given by " + via + ")");
        } catch (IOException e) {
            throw N0d3Exception.usage(file + ": cannot read secret file (given by " + via + "): " + e.getMessage());
        }
        if (value.isEmpty()) throw N0d3Exception.usage(file + ": secret file is empty (given by " + via + ")");
        warnIfReadableByOthers(file);
        return new Secret(value, "file " + file);
    }

    public static Secret fromStream(InputStream in, String via) {
        try {
            String value = new String(in.readAllBytes(), StandardCharsets.UTF_8).strip();
            if (value.isEmpty()) throw N0d3Exception.usage(via + ": no secret on standard input");
            return new Secret(value, via);
        } catch (IOException e) {
            throw N0d3Exception.usage(via + ": cannot read standard input: " + e.getMessage());
        }
    }

    static void warnIfReadableByOthers(Path file) {
        try {
            Set<PosixFilePermission> perms = Files.getPosixFilePermissions(file);
            if (perms.contains(PosixFilePermission.GROUP_READ) || perms.contains(PosixFilePermission.OTHERS_READ)) {
                Log.warn(file + " is readable by group or others; chmod 600 it");
            }
        } catch (IOException | UnsupportedOperationException ignored) {
            // not a POSIX file system: nothing to check
        }
    }
}
