package lib.build;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import lib.cli.N0d3Exception;
import lib.host.Arch;

/**
 * Parses {@code --platform} values (repeatable, each a comma list) into the architectures a script may build.
 * OCI platform strings only: linux/amd64, linux/arm64 (or linux/arm64/v8), linux/arm/v7. Anything else, or a
 * platform the other script builds, is a usage error (exit 2) naming the flag and what was expected.
 */
public final class Platforms {
    private Platforms() {}

    /**
     * The architectures the flag values name, each once, in the order given.
     *
     * @param values  the raw flag values (may be empty: then {@code allowed} is returned)
     * @param allowed the architectures this script builds, in default order
     * @param flag    the flag name for messages ("--platform")
     * @param script  this script's name for messages ("build_arm.java")
     */
    public static List<Arch> parse(List<String> values, List<Arch> allowed, String flag, String script) {
        if (values == null || values.isEmpty()) return List.copyOf(allowed);
        Set<Arch> out = new LinkedHashSet<>();
        for (String value : values) {
            for (String part : value.split(",", -1)) {
                String p = part.strip();
                if (p.isEmpty()) {
                    throw N0d3Exception.usage(flag + ": empty platform in '" + value
                            + "': expected a comma list such as " + expected(allowed));
                }
                Arch a = parseOne(p, flag, allowed);
                if (!allowed.contains(a)) {
                    throw N0d3Exception.usage(flag + ": " + a.platform() + " is not built by " + script + " (build_"
                            + (a == Arch.AMD64 ? "amd" : "arm") + ".java builds it): expected " + expected(allowed));
                }
                out.add(a);
            }
        }
        return new ArrayList<>(out);
    }

    /** One platform string to an Arch; unknown forms are a usage error. */
    public static Arch parseOne(String platform, String flag, List<Arch> allowed) {
        String p = platform.strip().toLowerCase(Locale.ROOT);
        return switch (p) {
            case "linux/amd64" -> Arch.AMD64;
            case "linux/arm64", "linux/arm64/v8" -> Arch.ARM64;
            case "linux/arm/v7" -> Arch.ARMV7;
            default ->
                throw N0d3Exception.usage(
                        flag + ": '" + platform + "' is not a supported platform: expected " + expected(allowed));
        };
    }

    /** The OCI platform string of a manifest entry ({os, architecture, variant}), normalised like {@link #parseOne}. */
    public static String of(String os, String architecture, String variant) {
        String s = os + "/" + architecture + (variant == null || variant.isEmpty() ? "" : "/" + variant);
        return s.equals("linux/arm64/v8") ? "linux/arm64" : s;
    }

    static String expected(List<Arch> allowed) {
        List<String> names = allowed.stream().map(Arch::platform).toList();
        if (names.size() == 1) return names.get(0);
        return String.join(", ", names.subList(0, names.size() - 1)) + " or " + names.get(names.size() - 1);
    }

    /** What {@code uname -m} prints inside a container of this architecture. */
    public static String machine(Arch a) {
        return switch (a) {
            case AMD64 -> "x86_64";
            case ARM64 -> "aarch64";
            case ARMV7 -> "armv7l";
        };
    }

    /** Docker's {@code Architecture} and {@code Variant} in an image config. */
    public static String[] imageArchitecture(Arch a) {
        return switch (a) {
            case AMD64 -> new String[] {"amd64", ""};
            case ARM64 -> new String[] {"arm64", ""};
            case ARMV7 -> new String[] {"arm", "v7"};
        };
    }
}
