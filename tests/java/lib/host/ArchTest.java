package lib.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import lib.cli.N0d3Exception;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ArchTest {
    @ParameterizedTest
    @CsvSource({
        "x86_64,AMD64",
        "amd64,AMD64",
        "X86_64,AMD64",
        "aarch64,ARM64",
        "arm64,ARM64",
        "armv7l,ARMV7",
        "armv7,ARMV7",
        "armv8l,ARMV7",
        "armhf,ARMV7",
        "arm,ARMV7",
        "' aarch64\n',ARM64"
    })
    void machineNames(String machine, Arch expected) {
        assertEquals(expected, Arch.fromMachine(machine));
    }

    @Test
    void idsAndPlatforms() {
        assertEquals("amd64", Arch.AMD64.id());
        assertEquals("arm64", Arch.ARM64.id());
        assertEquals("armv7", Arch.ARMV7.id());
        assertEquals("linux/amd64", Arch.AMD64.platform());
        assertEquals("linux/arm64", Arch.ARM64.platform());
        assertEquals("linux/arm/v7", Arch.ARMV7.platform());
        for (Arch a : Arch.values()) assertEquals(a, Arch.fromPlatform(a.platform()));
    }

    @ParameterizedTest
    @ValueSource(strings = {"armv6l", "i686", "i386", "riscv64", "s390x", "ppc64le", "mips", "aarch64_be", ""})
    void otherMachinesAreRejectedWithExit2(String machine) {
        N0d3Exception e = assertThrows(N0d3Exception.class, () -> Arch.fromMachine(machine));
        assertEquals(2, e.exitCode(), "issue 5: an unsupported arch is a one-line error with exit 2");
        assertEquals(
                "unsupported architecture '" + machine
                        + "': PR-CYBR-N0D3 supports amd64 (x86_64), arm64 (aarch64) and armv7 (armv7l)",
                e.getMessage());
    }

    @Test
    void nullMachineIsAnError() {
        assertEquals(
                2,
                assertThrows(N0d3Exception.class, () -> Arch.fromMachine(null)).exitCode());
    }

    @ParameterizedTest
    @ValueSource(strings = {"linux/arm/v6", "linux/386", "arm64", "windows/amd64", "linux/arm"})
    void otherPlatformsAreAUsageError(String platform) {
        N0d3Exception e = assertThrows(N0d3Exception.class, () -> Arch.fromPlatform(platform));
        assertEquals(2, e.exitCode());
        assertEquals(
                "unsupported platform '" + platform + "': expected linux/amd64, linux/arm64 or linux/arm/v7",
                e.getMessage());
    }
}
