package lib.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import support.ChildJvm;

/** NO_COLOR through a real script process: its error line carries no escape codes. */
class NoColorChildTest {
    @Test
    void scriptErrorHasNoEscapeCodesWithNoColor() {
        Map<String, String> env = new HashMap<>();
        env.put("NO_COLOR", "1");
        ChildJvm.Result r = ChildJvm.runMain("install", env, null, "--no-such-flag");
        assertEquals(2, r.exit());
        assertEquals(1, r.stderrLines().size(), r.stderr());
        assertFalse(r.stderr().contains("\u001b["), r.stderr());
        assertEquals(
                "error: Unknown option: '--no-such-flag' (see 'install.java --help')",
                r.stderr().strip());
    }
}
