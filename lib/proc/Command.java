package lib.proc;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import lib.secret.Secret;

/**
 * What to run: argv, environment additions, working directory, standard input and a timeout.
 * Secrets go to the process through {@link #stdin(Secret)} or {@link #env(String, Secret)}, never argv.
 */
public final class Command {
    final List<String> argv;
    final Map<String, String> env = new LinkedHashMap<>();
    Path dir;
    byte[] stdin;
    Duration timeout = Duration.ofSeconds(60);
    boolean echoOutput;

    private Command(List<String> argv) {
        if (argv.isEmpty()) throw new IllegalArgumentException("empty command");
        this.argv = List.copyOf(argv);
    }

    public static Command of(String... argv) {
        return new Command(Arrays.asList(argv));
    }

    public static Command of(List<String> argv) {
        return new Command(new ArrayList<>(argv));
    }

    public Command timeout(Duration t) {
        this.timeout = t;
        return this;
    }

    public Command dir(Path d) {
        this.dir = d;
        return this;
    }

    public Command env(String name, String value) {
        env.put(name, value);
        return this;
    }

    public Command env(String name, Secret value) {
        env.put(name, value.reveal());
        return this;
    }

    public Command stdin(String text) {
        this.stdin = text.getBytes(StandardCharsets.UTF_8);
        return this;
    }

    public Command stdin(Secret secret) {
        this.stdin = (secret.reveal() + "\n").getBytes(StandardCharsets.UTF_8);
        return this;
    }

    /** Stream the child's output lines to our stderr as they come (long steps show progress). */
    public Command echo(boolean on) {
        this.echoOutput = on;
        return this;
    }

    public List<String> argv() {
        return argv;
    }

    public Duration timeout() {
        return timeout;
    }

    /** The command line as it may be shown: quoted where needed, secrets masked. */
    public String display() {
        StringBuilder sb = new StringBuilder();
        for (String a : argv) {
            if (sb.length() > 0) sb.append(' ');
            sb.append(
                    a.isEmpty() || a.matches(".*[\\s'\"$`\\\\|&;<>()*?].*") ? "'" + a.replace("'", "'\\''") + "'" : a);
        }
        return lib.secret.Redactor.redact(sb.toString());
    }
}
