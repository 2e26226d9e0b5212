package lib.secret;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import lib.cli.N0d3Exception;

/**
 * Resolves a secret from, in order: an explicit file (a flag), {@code NAME_FILE} in the environment,
 * {@code NAME} in the environment. Values are trimmed of surrounding white space. A secret file must be
 * 0600 or stricter (no access for group or others) and owned by root, or by the user running the script
 * when that is not root (a file another user owns could be swapped under a root process); otherwise, and
 * when it is missing or empty, it is a usage error (exit 2) naming the file, its mode and owner.
 */
public final class SecretSource {
    /**
     * The variables this project reads secrets from. No child process inherits them: lib/proc's runner takes
     * them out of every environment unless a command sets one on purpose.
     */
    public static final List<String> ENVIRONMENT = List.of(
            "API_TOKEN",
            "SWARM_JOIN_TOKEN",
            "ZEROTIER_API_TOKEN",
            "TAILSCALE_AUTH_KEY",
            "REGISTRY_PASSWORD",
            "TFC_TOKEN");

    private SecretSource() {}

    public static Optional<Secret> resolve(String name, Path explicitFile, Map<String, String> env) {
        if (explicitFile != null)
            return Optional.of(
                    fromFile(explicitFile, "--" + name.toLowerCase(Locale.ROOT).replace('_', '-') + "-file"));
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
        refuseIfExposed(file, via);
        if (value.isEmpty()) throw N0d3Exception.usage(file + ": secret file is empty (given by " + via + ")");
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

    /**
     * Refuses a secret file that group or others may access, or that is owned by anyone but root or the
     * running user (the owner of /proc/self). A file system without POSIX attributes is not checked.
     */
    // PosixFilePermission is declared in the order of the rwxrwxrwx mode bits: its ordinal is the bit's place
    @SuppressWarnings("EnumOrdinal")
    static void refuseIfExposed(Path file, String via) {
        int mode;
        int uid;
        try {
            mode = 0;
            for (PosixFilePermission p : Files.getPosixFilePermissions(file)) mode |= 1 << (8 - p.ordinal());
            uid = (Integer) Files.getAttribute(file, "unix:uid");
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return;
        }
        int self = selfUid();
        boolean modeOk = (mode & 077) == 0;
        boolean ownerOk = uid == 0 || uid == self;
        if (modeOk && ownerOk) return;
        String want = self == 0 || self < 0
                ? "owned by root"
                : "owned by root or by uid " + self + " (the user running this)";
        String fix = (modeOk ? "" : "chmod 600 " + file)
                + (modeOk || ownerOk ? "" : " && ")
                + (ownerOk ? "" : "chown root:root " + file);
        throw N0d3Exception.usage(file + ": secret file has mode " + String.format("%04o", mode) + " and owner uid "
                + uid + " (given by " + via + "); it must be 0600 or stricter (no access for group or others) and "
                + want + ": " + fix);
    }

    /** The effective uid of this process: the owner of /proc/self (-1 where there is no /proc). */
    static int selfUid() {
        try {
            return (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid");
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return -1;
        }
    }
}
