package lib.proc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import lib.secret.Secret;
import org.junit.jupiter.api.Test;

/** Real processes (sh, sleep, printf), inspected through /proc while they run. */
class ProcessRunnerTest {
    final ProcessRunner runner = new ProcessRunner();

    static String procFile(long pid, String name) {
        try {
            return new String(Files.readAllBytes(Path.of("/proc", Long.toString(pid), name)), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return null;
        }
    }

    /** Alive = /proc/PID exists and is not a zombie (a zombie is dead, only waiting for its reaper). */
    static boolean alive(long pid) {
        String stat = procFile(pid, "stat");
        if (stat == null) return false;
        String afterName = stat.substring(stat.lastIndexOf(')') + 2);
        return afterName.charAt(0) != 'Z' && afterName.charAt(0) != 'X';
    }

    static List<String> argv(long pid) {
        String c = procFile(pid, "cmdline");
        return c == null || c.isEmpty() ? List.of() : List.of(c.split("\0"));
    }

    @Test
    void nonZeroExitIsAFailureWithRedactedCommandLineAndStderrTail() {
        Secret s = new Secret("cmdline-secret-" + System.nanoTime(), "test");
        Command cmd = Command.of(
                "sh",
                "-c",
                "echo first >&2; echo \"password=hunter2\" >&2; echo last words >&2; exit 3",
                "x" + s.reveal());
        ProcessFailedException e = assertThrows(ProcessFailedException.class, () -> runner.run(cmd));
        assertEquals(1, e.exitCode(), "an operational failure");
        assertFalse(e.timedOut());
        assertNotNull(e.result());
        assertEquals(3, e.result().exitCode());
        assertEquals(
                "sh -c 'echo first >&2; echo \"password=***\" >&2; echo last words >&2; exit 3' x*** exited with 3: first | password=*** | last words",
                e.getMessage());
        assertFalse(e.getMessage().contains(s.reveal()));
        assertFalse(e.getMessage().contains("hunter2"));
    }

    @Test
    void stderrTailIsTheLastTwelveLines() {
        ProcessFailedException e = assertThrows(
                ProcessFailedException.class,
                () -> runner.run(Command.of("sh", "-c", "for i in $(seq 1 30); do echo line$i >&2; done; exit 1")));
        assertTrue(
                e.getMessage()
                        .endsWith(
                                ": line19 | line20 | line21 | line22 | line23 | line24 | line25 | line26 | line27 | line28 | line29 | line30"),
                e.getMessage());
        assertFalse(e.getMessage().contains("line18 "));
    }

    @Test
    void stdoutIsTheTailWhenStderrIsEmpty() {
        ProcessFailedException e = assertThrows(
                ProcessFailedException.class, () -> runner.run(Command.of("sh", "-c", "echo on-stdout; exit 4")));
        assertTrue(e.getMessage().endsWith("exited with 4: on-stdout"), e.getMessage());
    }

    @Test
    void runAnyExitReturnsTheCode() {
        ProcessResult r = runner.runAnyExit(Command.of("sh", "-c", "echo out; echo err >&2; exit 3"));
        assertEquals(new ProcessResult(3, "out\n", "err\n"), r);
        assertFalse(r.ok());
    }

    @Test
    void outputIsUtf8() {
        // é, ✓ and 🐳 as raw UTF-8 bytes, whatever the JVM's default charset
        ProcessResult r = runner.run(Command.of(
                "sh", "-c", "printf '\\303\\251 \\342\\234\\223 \\360\\237\\220\\263'; printf '\\303\\251' >&2"));
        assertEquals("é ✓ 🐳", r.stdout());
        assertEquals("é", r.stderr());
    }

    @Test
    void stdinTextEnvAndDirReachTheProcess() throws IOException {
        Path d = Files.createTempDirectory("runner");
        ProcessResult r = runner.run(Command.of("sh", "-c", "read a; echo \"$a|$FOO|$(pwd)\"")
                .stdin("hello\n")
                .env("FOO", "bar")
                .dir(d));
        assertEquals("hello|bar|" + d.toRealPath(), r.stdout().strip());
    }

    @Test
    void missingProgramIsAFailureNamingIt() {
        ProcessFailedException e = assertThrows(
                ProcessFailedException.class, () -> runner.run(Command.of("/nonexistent/n0d3-prog", "arg")));
        assertTrue(e.getMessage().startsWith("cannot start /nonexistent/n0d3-prog arg: "), e.getMessage());
        assertEquals(1, e.exitCode());
    }

    @Test
    void secretGivenOnStdinIsNeverInTheChildsArgv() throws Exception {
        Secret secret = new Secret("stdin-only-secret-" + System.nanoTime(), "test");
        Set<Long> seen = ConcurrentHashMap.newKeySet();
        List<String> leaks = new ArrayList<>();
        AtomicBoolean done = new AtomicBoolean();
        // the child reads the secret, then stays alive for a while so that we can look at it
        CompletableFuture<ProcessResult> run =
                CompletableFuture.supplyAsync(() -> runner.run(Command.of("sh", "-c", "read t; echo ${#t}; sleep 2")
                        .stdin(secret)
                        .timeout(Duration.ofSeconds(20))));
        while (!run.isDone()) {
            for (ProcessHandle h : ProcessHandle.current().descendants().toList()) {
                List<String> a = argv(h.pid());
                if (a.isEmpty()) continue;
                seen.add(h.pid());
                if (String.join(" ", a).contains(secret.reveal())) leaks.add(h.pid() + ": " + a);
            }
            Thread.sleep(50);
        }
        done.set(true);
        ProcessResult r = run.get(30, TimeUnit.SECONDS);
        assertEquals(
                Integer.toString(secret.reveal().length()), r.stdout().strip(), "the child got the secret on stdin");
        assertTrue(seen.size() >= 2, "we saw the sh and its sleep while they ran: " + seen);
        assertTrue(leaks.isEmpty(), "secret in a child's argv: " + leaks);
        assertFalse(Command.of("sh").stdin(secret).display().contains(secret.reveal()));
    }

    @Test
    void timeoutKillsTheWholeTree() throws Exception {
        Set<Long> sleeps = ConcurrentHashMap.newKeySet();
        AtomicBoolean stop = new AtomicBoolean();
        Thread watcher = new Thread(() -> {
            while (!stop.get()) {
                for (ProcessHandle h : ProcessHandle.current().descendants().toList()) {
                    if (argv(h.pid()).equals(List.of("sleep", "300"))) sleeps.add(h.pid());
                }
                try {
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        watcher.start();
        long t0 = System.nanoTime();
        ProcessFailedException e;
        try {
            e = assertThrows(
                    ProcessFailedException.class,
                    () -> runner.run(
                            Command.of("sh", "-c", "sleep 300 & sleep 300").timeout(Duration.ofSeconds(1))));
        } finally {
            stop.set(true);
            watcher.join();
        }
        long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - t0);
        assertTrue(e.timedOut());
        assertNull(e.result());
        // (the shell may still manage to print "Killed" for its foreground sleep: that is the stderr tail)
        assertTrue(
                e.getMessage()
                        .startsWith(
                                "sh -c 'sleep 300 & sleep 300' timed out after 1s and was killed with its children"),
                e.getMessage());
        assertTrue(seconds < 60, "returned after " + seconds + "s");
        assertEquals(2, sleeps.size(), "expected to see both sleeps while they ran: " + sleeps);
        for (long pid : sleeps) {
            assertFalse(alive(pid), "sleep " + pid + " still alive after the timeout: " + procFile(pid, "stat"));
        }
    }
}
