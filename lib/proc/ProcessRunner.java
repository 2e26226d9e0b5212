package lib.proc;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import lib.cli.Log;
import lib.secret.Redactor;
import lib.secret.SecretSource;
import org.zeroturnaround.exec.InvalidExitValueException;
import org.zeroturnaround.exec.ProcessExecutor;
import org.zeroturnaround.exec.StartedProcess;
import org.zeroturnaround.exec.stream.LogOutputStream;

/**
 * The one way this project runs a program (docker, buildx, zerotier-cli, tailscale, apt-get, ...).
 * Always a timeout; output captured as UTF-8; a non-zero exit becomes a {@link ProcessFailedException}
 * with the redacted command line and the tail of stderr; on timeout the whole process tree is killed.
 * zt-exec's own exceptions carry the raw command line and environment, so none of them escapes. The
 * variables secrets are read from ({@link SecretSource#ENVIRONMENT}) are taken out of every child's
 * environment unless the command sets one itself; only {@link #runInteractive} (the sudo re-execution, which
 * hands them on by name) keeps them.
 */
public class ProcessRunner {
    static final int STDERR_TAIL_LINES = 12;

    /** Runs and requires exit 0. */
    public ProcessResult run(Command cmd) {
        ProcessResult r = execute(cmd, false);
        return r;
    }

    /** Runs and returns whatever exit code the program gave (timeouts still throw). */
    public ProcessResult runAnyExit(Command cmd) {
        return execute(cmd, true);
    }

    /**
     * Runs with this process's own terminal: stdin, stdout and stderr are inherited, nothing is captured
     * (for a re-execution through sudo, which may prompt on the terminal). Returns the exit code; a timeout
     * kills the whole tree and throws. The command's environment additions apply; its stdin text does not.
     */
    public int runInteractive(Command cmd) {
        ProcessBuilder pb = new ProcessBuilder(cmd.argv).inheritIO();
        pb.environment().putAll(cmd.env);
        if (cmd.dir != null) pb.directory(cmd.dir.toFile());
        Process p = start(cmd, "run (terminal): ", pb::start);
        try {
            if (p.waitFor(cmd.timeout.toMillis(), TimeUnit.MILLISECONDS)) return p.exitValue();
            killTree(p);
            throw ProcessFailedException.timedOut(cmd, "");
        } catch (InterruptedException e) {
            throw interrupted(cmd, p);
        }
    }

    /** True when the program is on PATH (or the path given is executable). */
    public static boolean onPath(String program) {
        return which(program, System.getenv()).isPresent();
    }

    /** Where {@code program} is found on the PATH of {@code env} (or the path itself when it contains a slash). */
    public static java.util.Optional<java.nio.file.Path> which(String program, java.util.Map<String, String> env) {
        if (program.contains("/")) {
            java.nio.file.Path p = java.nio.file.Path.of(program);
            return java.nio.file.Files.isExecutable(p) ? java.util.Optional.of(p) : java.util.Optional.empty();
        }
        String path = env.getOrDefault("PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
        for (String dir : path.split(":")) {
            if (dir.isEmpty()) continue;
            java.nio.file.Path p = java.nio.file.Path.of(dir, program);
            if (java.nio.file.Files.isExecutable(p)) return java.util.Optional.of(p);
        }
        return java.util.Optional.empty();
    }

    private ProcessResult execute(Command cmd, boolean anyExit) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        java.util.Map<String, String> env = new java.util.LinkedHashMap<>(cmd.env);
        for (String k : SecretSource.ENVIRONMENT) env.putIfAbsent(k, null);
        ProcessExecutor pe = new ProcessExecutor()
                .command(cmd.argv)
                .environment(env)
                .redirectOutput(cmd.echoOutput ? tee(out) : out)
                .redirectError(cmd.echoOutput ? tee(err) : err)
                .destroyOnExit();
        if (!anyExit) pe.exitValueNormal();
        if (cmd.dir != null) pe.directory(cmd.dir.toFile());
        pe.redirectInput(
                cmd.stdin != null ? new ByteArrayInputStream(cmd.stdin) : new ByteArrayInputStream(new byte[0]));
        StartedProcess started = start(cmd, "run: ", pe::start);
        try {
            org.zeroturnaround.exec.ProcessResult zr =
                    started.getFuture().get(cmd.timeout.toMillis(), TimeUnit.MILLISECONDS);
            return new ProcessResult(zr.getExitValue(), utf8(out), utf8(err));
        } catch (TimeoutException e) {
            killTree(started.getProcess());
            throw ProcessFailedException.timedOut(cmd, tail(utf8(err)));
        } catch (ExecutionException e) {
            if (e.getCause() instanceof InvalidExitValueException iev) {
                throw ProcessFailedException.exited(cmd, new ProcessResult(iev.getExitValue(), utf8(out), utf8(err)));
            }
            throw ProcessFailedException.failed(cmd, e);
        } catch (InterruptedException e) {
            throw interrupted(cmd, started.getProcess());
        }
    }

    /** Kills the process and every descendant, children first, then waits briefly for them to go. */
    static void killTree(Process p) {
        ProcessHandle h = p.toHandle();
        var descendants = h.descendants().toList();
        for (ProcessHandle d : descendants) d.destroyForcibly();
        h.destroyForcibly();
        try {
            p.waitFor(5, TimeUnit.SECONDS);
            for (ProcessHandle d : descendants) d.onExit().get(5, TimeUnit.SECONDS);
        } catch (Exception ignored) {
            // best effort: we have signalled everything we could see
        }
    }

    private interface Starter<T> {
        T start() throws IOException;
    }

    /** Logs the command (at debug) and starts it; a program that cannot start becomes "cannot start ...". */
    private static <T> T start(Command cmd, String logPrefix, Starter<T> starter) {
        Log.debug(logPrefix + cmd.display());
        try {
            return starter.start();
        } catch (IOException e) {
            throw ProcessFailedException.cannotStart(cmd, e);
        }
    }

    /** Kills the tree of a run whose wait was interrupted, keeps the interrupt, and says so. */
    private static ProcessFailedException interrupted(Command cmd, Process p) {
        killTree(p);
        Thread.currentThread().interrupt();
        return new ProcessFailedException(cmd.display() + " interrupted", null, false);
    }

    static String tail(String stderr) {
        if (stderr == null || stderr.isBlank()) return "";
        String[] lines = stderr.strip().split("\\R");
        int from = Math.max(0, lines.length - STDERR_TAIL_LINES);
        StringBuilder sb = new StringBuilder();
        for (int i = from; i < lines.length; i++) {
            sb.append(i == from ? "" : " | ").append(lines[i].strip());
        }
        return ": " + Redactor.redact(sb.toString());
    }

    static String firstLine(String s) {
        if (s == null) return "";
        int i = s.indexOf('\n');
        return Redactor.redact(i < 0 ? s : s.substring(0, i));
    }

    static String human(java.time.Duration d) {
        long ms = d.toMillis();
        return ms % 1000 == 0 ? (ms / 1000) + "s" : ms + "ms";
    }

    private static String utf8(ByteArrayOutputStream b) {
        return b.toString(StandardCharsets.UTF_8);
    }

    private static java.io.OutputStream tee(ByteArrayOutputStream sink) {
        LogOutputStream lines = new LogOutputStream() {
            @Override
            protected void processLine(String line) {
                Log.info("  | " + line);
            }
        };
        return new java.io.OutputStream() {
            @Override
            public void write(int b) throws IOException {
                sink.write(b);
                lines.write(b);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                sink.write(b, off, len);
                lines.write(b, off, len);
            }

            @Override
            public void flush() throws IOException {
                lines.flush();
            }

            @Override
            public void close() throws IOException {
                lines.close();
            }
        };
    }
}
