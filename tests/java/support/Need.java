package support;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * The one skip-or-fail rule for tests that need something outside the JVM (a tool, root, the lab's
 * packages): skipped with the reason on a developer machine, a failure when N0D3_REQUIRE_LAB=1 (CI),
 * so a missing install step can never pass as a skip there.
 */
public final class Need {
    public static final String REQUIRE_ENV = "N0D3_REQUIRE_LAB";

    private Need() {}

    public static boolean strict() {
        return "1".equals(System.getenv(REQUIRE_ENV));
    }

    public static void that(boolean present, String reason) {
        if (present) return;
        if (strict())
            Assertions.fail(reason + " (" + REQUIRE_ENV + "=1: a missing prerequisite is a failure, not a skip)");
        Assumptions.abort(reason);
    }
}
