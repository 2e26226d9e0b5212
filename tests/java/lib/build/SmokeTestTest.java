package lib.build;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.regex.Pattern;
import lib.cli.ExitCode;
import lib.cli.N0d3Exception;
import lib.host.Arch;
import org.junit.jupiter.api.Test;

class SmokeTestTest {
    static List<String> split(String s) {
        return SmokeTest.split(s, "--smoke-cmd");
    }

    @Test
    void splitsLikeAShellWithoutExpanding() {
        assertEquals(List.of("uname", "-m"), split("  uname   -m "));
        assertEquals(List.of("sh", "-c", "uname -m | grep -q $X"), split("sh -c 'uname -m | grep -q $X'"));
        assertEquals(List.of("echo", "a \"b\" $c"), split("echo \"a \\\"b\\\" \\$c\""));
        assertEquals(List.of("a b", "c"), split("a\\ b c"));
        assertEquals(List.of("", "x"), split("'' x"));
        assertEquals(List.of("--version"), split("--version"));
    }

    @Test
    void unbalancedQuotesAndEmptyCommandsAreUsageErrors() {
        N0d3Exception e = assertThrows(N0d3Exception.class, () -> split("sh -c 'oops"));
        assertEquals(ExitCode.USAGE, e.exitCode());
        assertEquals("--smoke-cmd: unbalanced ' quote in 'sh -c 'oops'", e.getMessage());
        assertEquals(
                ExitCode.USAGE,
                assertThrows(N0d3Exception.class, () -> split("   ")).exitCode());
    }

    @Test
    void machinePlaceholderBecomesWhatUnameSaysOnThatPlatform() {
        Pattern p = SmokeTest.expectation("^{machine}$", Arch.ARMV7, "--smoke-expect");
        assertTrue(p.matcher("armv7l\n").find());
        assertFalse(p.matcher("aarch64\n").find());
        assertTrue(SmokeTest.expectation("^{machine}$", Arch.ARM64, "--smoke-expect")
                .matcher("aarch64")
                .find());
        assertTrue(SmokeTest.expectation("^{machine}$", Arch.AMD64, "--smoke-expect")
                .matcher("x86_64")
                .find());
        assertNull(SmokeTest.expectation(null, Arch.AMD64, "--smoke-expect"));
    }

    @Test
    void aBadExpectationIsAUsageError() {
        N0d3Exception e =
                assertThrows(N0d3Exception.class, () -> SmokeTest.expectation("(", Arch.AMD64, "--smoke-expect"));
        assertEquals(ExitCode.USAGE, e.exitCode());
        assertTrue(e.getMessage().startsWith("--smoke-expect: not a regular expression"), e.getMessage());
    }
}
