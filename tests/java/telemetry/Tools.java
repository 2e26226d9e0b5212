package telemetry;

import lib.proc.ProcessRunner;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * External tools some tests need (promtool, prometheus, systemd-analyze; tests/lab/install.sh installs
 * them). Missing: the test is skipped with the reason, or fails when N0D3_REQUIRE_LAB=1 (CI).
 */
final class Tools {
    private Tools() {}

    static boolean required() {
        return "1".equals(System.getenv("N0D3_REQUIRE_LAB"));
    }

    static void require(String tool) {
        if (ProcessRunner.onPath(tool)) return;
        String why = tool + " is not installed (Debian: " + debianPackage(tool) + "; tests/lab/install.sh installs it)";
        if (required()) Assertions.fail(why + " and N0D3_REQUIRE_LAB=1");
        Assumptions.abort(why);
    }

    static void requireRoot(String what) {
        if ("root".equals(System.getProperty("user.name"))) return;
        if (required()) Assertions.fail(what + " needs root and N0D3_REQUIRE_LAB=1");
        Assumptions.abort(what + " needs root");
    }

    static String debianPackage(String tool) {
        return switch (tool) {
            case "promtool", "prometheus" -> "prometheus";
            case "systemd-analyze" -> "systemd";
            default -> tool;
        };
    }
}
