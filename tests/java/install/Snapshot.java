package install;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Every path under a directory with its type, permission bits and (for files) SHA-256 (for links, the
 * target): two snapshots are equal when the trees are byte for byte and mode for mode the same.
 */
record Snapshot(Map<String, String> entries) {
    static Snapshot of(Path top) {
        Map<String, String> m = new TreeMap<>();
        if (!Files.exists(top)) return new Snapshot(m);
        try (Stream<Path> s = Files.walk(top)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                String rel = "/" + top.relativize(p);
                if (Files.isSymbolicLink(p)) {
                    m.put(rel, "link -> " + Files.readSymbolicLink(p));
                } else if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                    m.put(rel, "dir " + PosixFilePermissions.toString(Files.getPosixFilePermissions(p)));
                } else {
                    m.put(
                            rel,
                            "file " + PosixFilePermissions.toString(Files.getPosixFilePermissions(p)) + " "
                                    + HexFormat.of()
                                            .formatHex(MessageDigest.getInstance("SHA-256")
                                                    .digest(Files.readAllBytes(p))));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        return new Snapshot(m);
    }

    /** The entries that differ, for assertion messages. */
    String diff(Snapshot other) {
        StringBuilder sb = new StringBuilder();
        java.util.Set<String> keys = new java.util.TreeSet<>(entries.keySet());
        keys.addAll(other.entries.keySet());
        for (String k : keys) {
            String a = entries.get(k);
            String b = other.entries.get(k);
            if (!java.util.Objects.equals(a, b))
                sb.append(k).append(": ").append(a).append(" -> ").append(b).append('\n');
        }
        return sb.toString();
    }
}
