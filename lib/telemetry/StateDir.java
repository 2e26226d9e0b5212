package lib.telemetry;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * The state dir and its spool and dead-letter dirs: the owner's only (0700), as the units' StateDirectoryMode=
 * makes /var/lib/pr-cybr/telemetry. A dir this creates gets 0700 (its missing parents get the usual mode); an
 * existing one is narrowed to 0700 only when it is telemetry's own: the spool and dead-letter dirs, or a state dir
 * that already holds a run's files (lock, state.json, spool/). Any other existing dir (a --state-dir given as
 * /tmp or a home directory) keeps its mode. See docs/decisions/telemetry-cost.md.
 */
public final class StateDir {
    static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rwx------");
    private static final String[] OWN_FILES = {RunLock.FILE, TelemetryState.FILE, Spool.DIR};

    private StateDir() {}

    /** The state dir, created or narrowed as above. */
    public static Path create(Path dir) throws IOException {
        return create(dir, false);
    }

    /** A dir of telemetry's own inside the state dir (spool/, dead-letter/): created 0700 or narrowed to it. */
    static Path createOwn(Path dir) throws IOException {
        return create(dir, true);
    }

    private static Path create(Path dir, boolean own) throws IOException {
        if (!Files.isDirectory(dir)) {
            Path parent = dir.toAbsolutePath().getParent();
            if (parent != null) Files.createDirectories(parent);
            try {
                Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
                narrow(dir); // a umask cannot add bits, but an inherited default ACL could
                return dir;
            } catch (FileAlreadyExistsException e) {
                if (!Files.isDirectory(dir)) throw e; // a file, or a link to one: the caller's error as before
            } catch (UnsupportedOperationException e) {
                return Files.createDirectories(dir); // not a POSIX file system
            }
        }
        if (own || holdsARun(dir)) narrow(dir);
        return dir;
    }

    private static boolean holdsARun(Path dir) {
        for (String f : OWN_FILES) {
            if (Files.exists(dir.resolve(f), LinkOption.NOFOLLOW_LINKS)) return true;
        }
        return false;
    }

    private static void narrow(Path dir) {
        try {
            Set<PosixFilePermission> now = Files.getPosixFilePermissions(dir, LinkOption.NOFOLLOW_LINKS);
            if (!now.equals(OWNER_ONLY)) Files.setPosixFilePermissions(dir, OWNER_ONLY);
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            // not ours to change (another owner) or not POSIX: it keeps its mode
        }
    }
}
