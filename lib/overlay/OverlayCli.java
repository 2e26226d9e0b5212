package lib.overlay;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import lib.proc.Command;
import lib.proc.ProcessRunner;

/** An overlay's command-line tool (zerotier-cli, tailscale), run through the {@link ProcessRunner}. */
public abstract class OverlayCli {
    static final Duration TIMEOUT = Duration.ofSeconds(30);
    protected final ProcessRunner runner;
    protected final Path program;
    private final Map<String, String> env;

    /** {@code env}: variables added to every run (the installer's child environment). */
    protected OverlayCli(ProcessRunner runner, Path program, Map<String, String> env) {
        this.runner = runner;
        this.program = program;
        this.env = env;
    }

    public String program() {
        return program.toString();
    }

    protected Command cmd(List<String> argv) {
        Command c = Command.of(argv).timeout(TIMEOUT);
        env.forEach(c::env);
        return c;
    }

    /** The first line of a program's output, for one-line messages. */
    public static String firstLine(String s) {
        String t = s == null ? "" : s.strip();
        int i = t.indexOf('\n');
        return i < 0 ? t : t.substring(0, i);
    }
}
