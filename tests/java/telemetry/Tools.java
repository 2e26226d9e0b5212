package telemetry;

import lib.proc.ProcessRunner;

/**
 * External tools some tests need (promtool, prometheus, systemd-analyze; tests/lab/install.sh installs
 * them). Missing: the test is skipped with the reason, or fails when N0D3_REQUIRE_LAB=1 (CI).
 */
final class Tools {
    private Tools() {}

    static boolean required() {
        return support.Need.strict();
    }

    static void require(String tool) {
        support.Need.that(
                ProcessRunner.onPath(tool),
                tool + " is not installed (Debian: " + debianPackage(tool) + "; tests/lab/install.sh installs it)");
    }

    static void requireRoot(String what) {
        support.Need.that("root".equals(System.getProperty("user.name")), what + " needs root");
    }

    static String debianPackage(String tool) {
        return switch (tool) {
            case "promtool", "prometheus" -> "prometheus";
            case "systemd-analyze" -> "systemd";
            default -> tool;
        };
    }
}
