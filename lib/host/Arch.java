package lib.host;

import java.util.Locale;
import lib.cli.N0d3Exception;

/** The architectures a node can be: Docker's names for them, and how uname -m spells them. */
public enum Arch {
    AMD64("linux/amd64"),
    ARM64("linux/arm64"),
    ARMV7("linux/arm/v7");

    private final String platform;

    Arch(String platform) {
        this.platform = platform;
    }

    /** amd64, arm64, armv7 (the constant's name in lower case): the names used in tags and reports. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The OCI platform string (linux/arm/v7). */
    public String platform() {
        return platform;
    }

    /**
     * Maps {@code uname -m} (or Java's os.arch) to an Arch; anything else (armv6l, i686, riscv64,
     * big-endian aarch64_be, ...) is a host we will not touch: exit 3.
     */
    public static Arch fromMachine(String machine) {
        String m = machine == null ? "" : machine.strip().toLowerCase(Locale.ROOT);
        return switch (m) {
            case "x86_64", "amd64" -> AMD64;
            case "aarch64", "arm64" -> ARM64;
            // armv8l: a 32-bit userland on a 64-bit ARM CPU (linux32 personality); it runs armv7 binaries
            case "armv7l", "armv7", "armv7hl", "armv8l", "armhf", "arm" -> ARMV7;
            default ->
                throw N0d3Exception.usage("unsupported architecture '" + machine
                        + "': PR-CYBR-N0D3 supports amd64 (x86_64), arm64 (aarch64) and armv7 (armv7l)");
        };
    }

    /** From an OCI platform string (linux/amd64, linux/arm64, linux/arm/v7). */
    public static Arch fromPlatform(String platform) {
        for (Arch a : values()) {
            if (a.platform.equals(platform)) return a;
        }
        throw N0d3Exception.usage(
                "unsupported platform '" + platform + "': expected linux/amd64, linux/arm64 or linux/arm/v7");
    }
}
