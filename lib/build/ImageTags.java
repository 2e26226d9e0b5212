package lib.build;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import lib.cli.Log;
import lib.cli.N0d3Exception;
import lib.host.Arch;

/**
 * The tags of one image version, from REGISTRY / IMAGE_NAME / VERSION and the git revision:
 * <ul>
 *   <li>per architecture: {@code R/I:VERSION-amd64} (the one the manifest list is made from) and {@code R/I:sha-abc1234-amd64};</li>
 *   <li>the multi-arch manifest list: {@code R/I:VERSION} and {@code R/I:sha-abc1234}.</li>
 * </ul>
 * The plain VERSION tag is only ever a manifest list, so builds of different architectures never overwrite
 * each other. Names follow the distribution reference grammar; a bad one is a usage error naming its source.
 */
public record ImageTags(String registry, String name, String version, String revision) {
    /** Registry host, optionally with a port (ghcr.io, 127.0.0.1:5000, localhost:5000). */
    static final Pattern REGISTRY = Pattern.compile("[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?(?::[0-9]{1,5})?");
    /** Path components of the distribution reference grammar, lower case. */
    static final Pattern NAME =
            Pattern.compile("[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*");
    /** A tag is at most 128 characters; leave room for "-armv7" and "sha-…-armv7". */
    static final Pattern TAG = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]{0,120}");

    static final Pattern SHA = Pattern.compile("[0-9a-f]{7,64}");

    /** Where each value came from, for error messages ("REGISTRY", "--registry", "codex.yaml build.registry"). */
    public record Sources(String registry, String name, String version, String revision) {}

    public static ImageTags of(String registry, String name, String version, String revision, Sources from) {
        String r = registry == null ? "" : registry.strip().replaceAll("/+$", "");
        if (!r.isEmpty() && !REGISTRY.matcher(r).matches()) {
            throw N0d3Exception.usage(from.registry() + ": '" + registry
                    + "' is not a registry host: expected host or host:port such as ghcr.io or 127.0.0.1:5000");
        }
        String n = name == null ? "" : name.strip();
        if (n.isEmpty())
            throw N0d3Exception.usage(from.name() + ": the image name is empty: expected a path such as pr-cybr/n0d3");
        if (!n.equals(n.toLowerCase(Locale.ROOT))) {
            Log.info("image name '" + n + "' lower-cased to '" + n.toLowerCase(Locale.ROOT)
                    + "' (image names are lower case)");
            n = n.toLowerCase(Locale.ROOT);
        }
        if (!NAME.matcher(n).matches()) {
            throw N0d3Exception.usage(
                    from.name() + ": '" + name + "' is not an image name: expected lower-case path components"
                            + " of letters and digits separated by '.', '_', '__' or '-', joined by '/', such as pr-cybr/n0d3");
        }
        String v = version == null ? "" : version.strip();
        if (!TAG.matcher(v).matches()) {
            throw N0d3Exception.usage(
                    from.version() + ": '" + version + "' is not usable as a tag: expected 1 to 121 characters of"
                            + " letters, digits, '_', '.' and '-', not starting with '.' or '-'");
        }
        String sha =
                revision == null || revision.isBlank() ? null : revision.strip().toLowerCase(Locale.ROOT);
        if (sha != null && !SHA.matcher(sha).matches()) {
            throw N0d3Exception.usage(from.revision() + ": '" + revision
                    + "' is not a git commit id: expected 7 to 64 hexadecimal digits");
        }
        return new ImageTags(r, n, v, sha);
    }

    /** registry/name, or just name when no registry is set (Docker Hub). */
    public String repository() {
        return registry.isEmpty() ? name : registry + "/" + name;
    }

    /** The first 7 characters of the revision, or null when it is unknown. */
    public String shortSha() {
        return revision == null ? null : revision.substring(0, 7);
    }

    /** {@code R/I:VERSION-arch}: the reference the manifest list is built from. */
    public String archRef(Arch a) {
        return repository() + ":" + version + "-" + a.id();
    }

    /** Every tag a per-architecture build gets. */
    public List<String> archTags(Arch a) {
        List<String> out = new ArrayList<>();
        out.add(archRef(a));
        if (revision != null) out.add(repository() + ":sha-" + shortSha() + "-" + a.id());
        return out;
    }

    /** {@code R/I:VERSION}: the multi-arch manifest list. */
    public String manifestRef() {
        return repository() + ":" + version;
    }

    /** Every tag the manifest list gets. */
    public List<String> manifestTags() {
        List<String> out = new ArrayList<>();
        out.add(manifestRef());
        if (revision != null) out.add(repository() + ":sha-" + shortSha());
        return out;
    }
}
