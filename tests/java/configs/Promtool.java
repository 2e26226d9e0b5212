package configs;

import java.nio.file.Path;
import java.time.Duration;
import lib.proc.Command;
import lib.proc.ProcessResult;
import lib.proc.ProcessRunner;
import support.Need;

/**
 * Prometheus' promtool (Debian's prometheus package; tests/lab/install.sh installs it, so CI has it):
 * missing, a test is skipped with the reason on a laptop and fails with N0D3_REQUIRE_LAB=1.
 */
final class Promtool {
    private Promtool() {}

    /** promtool's exit code and its stdout and stderr together (it reports failures on either). */
    record Result(int exit, String output) {}

    static Result run(Path cwd, String... args) {
        Need.that(
                ProcessRunner.onPath("promtool"),
                "promtool is not installed (Debian: prometheus; tests/lab/install.sh installs it)");
        String[] cmd = new String[args.length + 1];
        cmd[0] = "promtool";
        System.arraycopy(args, 0, cmd, 1, args.length);
        ProcessResult r =
                new ProcessRunner().runAnyExit(Command.of(cmd).dir(cwd).timeout(Duration.ofSeconds(60)));
        return new Result(r.exitCode(), r.stdout() + r.stderr());
    }
}
