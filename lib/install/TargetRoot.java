package lib.install;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * The file system the installer writes: "/" or an alternate root given by --root (like dpkg --root).
 * Every path the installer talks about is the path on the target ("/etc/docker/daemon.json"); this class
 * maps it under the root, and writes atomically (temporary file in the same folder, mode set, fsync, rename).
 */
public final class TargetRoot {
    private final Path dir;

    public TargetRoot(Path dir) {
        this.dir = dir.toAbsolutePath().normalize();
    }

    public Path dir() {
        return dir;
    }

    /** True when the root is the running system's own "/": only then are services and the kernel touched. */
    public boolean live() {
        return dir.getParent() == null;
    }

    /** The real path of a target path ("/etc/x" → ROOT/etc/x). */
    public Path resolve(String targetPath) {
        if (!targetPath.startsWith("/"))
            throw new IllegalArgumentException("not an absolute target path: " + targetPath);
        return targetPath.equals("/") ? dir : dir.resolve(targetPath.substring(1));
    }

    /** How a target path is shown to the operator: itself on "/", else with the root in front. */
    public String show(String targetPath) {
        return live() ? targetPath : dir + targetPath;
    }

    public boolean exists(String targetPath) {
        return Files.exists(resolve(targetPath), LinkOption.NOFOLLOW_LINKS);
    }

    public boolean isDirectory(String targetPath) {
        return Files.isDirectory(resolve(targetPath), LinkOption.NOFOLLOW_LINKS);
    }

    /** The file's bytes, or null when there is no such file. */
    public byte[] read(String targetPath) {
        return io("read", targetPath, NoSuchFileException.class, null, Files::readAllBytes);
    }

    /** Permission bits (0644), or -1 when the path does not exist. */
    public int mode(String targetPath) {
        return io(
                "stat",
                targetPath,
                NoSuchFileException.class,
                -1,
                p -> Modes.toInt(Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS)));
    }

    /** The ancestors of {@code targetPath} that do not exist yet, outermost first. */
    public List<String> missingParents(String targetPath) {
        List<String> missing = new ArrayList<>();
        String p = parent(targetPath);
        while (p != null && !exists(p)) {
            missing.add(0, p);
            p = parent(p);
        }
        return missing;
    }

    static String parent(String targetPath) {
        int i = targetPath.lastIndexOf('/');
        if (i <= 0) return null;
        return targetPath.substring(0, i);
    }

    /**
     * Creates a directory (and missing parents, 0755) with the given mode; returns the target paths it
     * created, outermost first, so that they can be removed again.
     */
    public List<String> mkdirs(String targetPath, int mode) {
        List<String> created = mkParents(targetPath);
        if (!exists(targetPath)) {
            mkdir(targetPath, mode);
            created.add(targetPath);
        } else {
            chmod(targetPath, mode);
        }
        return created;
    }

    /** Creates the missing parents of {@code targetPath} (0755); returns them, outermost first. */
    private List<String> mkParents(String targetPath) {
        List<String> created = missingParents(targetPath);
        created.forEach(p -> mkdir(p, 0755));
        return created;
    }

    private void mkdir(String targetPath, int mode) {
        io("create", targetPath, p -> Files.setPosixFilePermissions(Files.createDirectory(p), Modes.toSet(mode)));
    }

    public void chmod(String targetPath, int mode) {
        io("chmod", targetPath, p -> Files.setPosixFilePermissions(p, Modes.toSet(mode)));
    }

    /**
     * Writes the file atomically with the given mode: a temporary file in the same folder gets the bytes
     * and the mode (so a secret is never readable by others, not even for a moment), is synced, then
     * renamed over the target. Missing parents are created (0755) and returned, outermost first.
     */
    public List<String> write(String targetPath, byte[] data, int mode) {
        List<String> created = mkParents(targetPath);
        Path target = resolve(targetPath);
        Path tmp = target.resolveSibling("." + target.getFileName() + ".pr-cybr-tmp");
        try {
            Files.deleteIfExists(tmp);
            Set<PosixFilePermission> perms = Modes.toSet(mode);
            Files.createFile(
                    tmp,
                    java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
                            EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE)));
            try (FileChannel ch =
                    FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                ch.write(java.nio.ByteBuffer.wrap(data));
                ch.force(true);
            }
            Files.setPosixFilePermissions(tmp, perms);
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
            syncDir(target.getParent());
        } catch (IOException e) {
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException ignored) {
                // best effort
            }
            throw failed("write", targetPath, e);
        }
        return created;
    }

    /** Removes a file (or a symbolic link); true when there was one. */
    public boolean delete(String targetPath) {
        try {
            return Files.deleteIfExists(resolve(targetPath));
        } catch (DirectoryNotEmptyException e) {
            throw new UncheckedIOException("cannot remove " + show(targetPath) + ": not empty", e);
        } catch (IOException e) {
            throw failed("remove", targetPath, e);
        }
    }

    /** Removes a directory when it is empty; true when it was removed. */
    public boolean rmdirIfEmpty(String targetPath) {
        return io("remove", targetPath, DirectoryNotEmptyException.class, false, Files::deleteIfExists);
    }

    /** Removes a directory and everything below it (symbolic links are removed, never followed). */
    public void deleteTree(String targetPath) {
        if (!exists(targetPath)) return;
        io("remove", targetPath, top -> {
            try (var walk = Files.walk(top)) {
                List<Path> all =
                        walk.sorted(java.util.Comparator.reverseOrder()).toList();
                for (Path p : all) Files.delete(p);
            }
            return top;
        });
    }

    /** Creates (or replaces) a symbolic link, creating missing parents; returns the parents created. */
    public List<String> symlink(String targetPath, String pointsTo) {
        List<String> created = mkParents(targetPath);
        io("link", targetPath, p -> {
            Files.deleteIfExists(p);
            return Files.createSymbolicLink(p, Path.of(pointsTo));
        });
        return created;
    }

    /** Where a symbolic link points, or null when the path is not a link. */
    public String readLink(String targetPath) {
        Path p = resolve(targetPath);
        if (!Files.isSymbolicLink(p)) return null;
        try {
            return Files.readSymbolicLink(p).toString();
        } catch (IOException e) {
            return null;
        }
    }

    /** A file system call on the real path of one target path. */
    private interface PathIo<T> {
        T call(Path real) throws IOException;
    }

    /** Runs {@code call} on the real path of {@code targetPath}; an I/O error fails as "cannot VERB PATH: REASON". */
    private <T> T io(String verb, String targetPath, PathIo<T> call) {
        return io(verb, targetPath, null, null, call);
    }

    /** As {@link #io(String, String, PathIo)}, but an {@code expected} error gives {@code otherwise}. */
    private <T> T io(
            String verb, String targetPath, Class<? extends IOException> expected, T otherwise, PathIo<T> call) {
        try {
            return call.call(resolve(targetPath));
        } catch (IOException e) {
            if (expected != null && expected.isInstance(e)) return otherwise;
            throw failed(verb, targetPath, e);
        }
    }

    private UncheckedIOException failed(String verb, String targetPath, IOException e) {
        return new UncheckedIOException("cannot " + verb + " " + show(targetPath) + ": " + e.getMessage(), e);
    }

    private static void syncDir(Path d) {
        try (FileChannel ch = FileChannel.open(d, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException | UnsupportedOperationException ignored) {
            // not every file system lets a directory be synced; the rename is still atomic
        }
    }

    @Override
    public String toString() {
        return dir.toString();
    }
}
