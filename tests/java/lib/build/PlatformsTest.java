package lib.build;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import lib.cli.ExitCode;
import lib.cli.N0d3Exception;
import lib.host.Arch;
import org.junit.jupiter.api.Test;

class PlatformsTest {
    static final List<Arch> ARM = List.of(Arch.ARM64, Arch.ARMV7);
    static final List<Arch> AMD = List.of(Arch.AMD64);

    static N0d3Exception bad(List<String> values, List<Arch> allowed, String script) {
        return assertThrows(N0d3Exception.class, () -> Platforms.parse(values, allowed, "--platform", script));
    }

    @Test
    void noValueMeansEveryPlatformTheScriptBuilds() {
        assertEquals(ARM, Platforms.parse(List.of(), ARM, "--platform", "build_arm.java"));
        assertEquals(AMD, Platforms.parse(null, AMD, "--platform", "build_amd.java"));
    }

    @Test
    void commaListsAndRepeatsAreMergedInOrderWithoutDuplicates() {
        assertEquals(
                List.of(Arch.ARMV7, Arch.ARM64),
                Platforms.parse(
                        List.of("linux/arm/v7", " linux/arm64 ,linux/arm/v7", "linux/arm64/v8"),
                        ARM,
                        "--platform",
                        "build_arm.java"));
    }

    @Test
    void aBadPlatformStringIsAUsageErrorNamingTheFlagAndTheChoices() {
        N0d3Exception e = bad(List.of("linux/arm/v6"), ARM, "build_arm.java");
        assertEquals(ExitCode.USAGE, e.exitCode());
        assertEquals(
                "--platform: 'linux/arm/v6' is not a supported platform: expected linux/arm64 or linux/arm/v7",
                e.getMessage());
        assertEquals(
                ExitCode.USAGE, bad(List.of("arm64"), ARM, "build_arm.java").exitCode());
        assertEquals(
                ExitCode.USAGE,
                bad(List.of("windows/amd64"), AMD, "build_amd.java").exitCode());
        assertEquals(
                ExitCode.USAGE,
                bad(List.of("linux/amd64,"), AMD, "build_amd.java").exitCode());
    }

    @Test
    void thePlatformOfTheOtherScriptIsRefusedNamingIt() {
        N0d3Exception e = bad(List.of("linux/arm64"), AMD, "build_amd.java");
        assertEquals(ExitCode.USAGE, e.exitCode());
        assertEquals(
                "--platform: linux/arm64 is not built by build_amd.java (build_arm.java builds it): expected linux/amd64",
                e.getMessage());
        assertTrue(
                bad(List.of("linux/amd64"), ARM, "build_arm.java").getMessage().contains("(build_amd.java builds it)"));
    }

    @Test
    void manifestEntriesAreNamedLikeTheFlag() {
        assertEquals("linux/arm/v7", Platforms.of("linux", "arm", "v7"));
        assertEquals("linux/arm64", Platforms.of("linux", "arm64", "v8"));
        assertEquals("linux/amd64", Platforms.of("linux", "amd64", ""));
        assertEquals("linux/amd64", Platforms.of("linux", "amd64", null));
    }

    @Test
    void unameAndImageConfigNamesPerArchitecture() {
        assertEquals("x86_64", Platforms.machine(Arch.AMD64));
        assertEquals("aarch64", Platforms.machine(Arch.ARM64));
        assertEquals("armv7l", Platforms.machine(Arch.ARMV7));
        assertEquals(List.of("arm", "v7"), List.of(Platforms.imageArchitecture(Arch.ARMV7)));
    }
}
