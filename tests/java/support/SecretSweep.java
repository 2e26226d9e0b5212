package support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * The one way the tests look for secret bytes where they must never be (the project's rule: never in argv,
 * never in a child's environment, never in output, logs or files readable by others). While open, a sampler
 * reads {@code /proc/PID/cmdline} of every process of the machine (and {@code /proc/PID/environ} of every one
 * but the script under test itself, which may have been given the secret as a variable) every few
 * milliseconds; {@link #text} and {@link #files} sweep what the run printed and left behind; a
 * {@link #recordingShim} in front of a program on PATH records the argv and environment of processes too
 * short-lived for the sampler (each docker CLI call). Leaks name the secret, never show it.
 *
 * <pre>
 * try (SecretSweep s = SecretSweep.start(Map.of("API_TOKEN", token), "-Dn0d3.sweep=run1")) {
 *     ... run java -Dn0d3.sweep=run1 ... ;
 *     s.text("stdout", out); s.files(stateDir, p -&gt; false);
 *     assertEquals(List.of(), s.leaks());
 * }
 * </pre>
 */
public final class SecretSweep implements AutoCloseable {
    private static final byte[] JSPAWNHELPER = "/jspawnhelper\0".getBytes(StandardCharsets.UTF_8);
    private final Map<String, byte[]> secrets = new LinkedHashMap<>();
    private final String marker;
    private final List<String> leaks = Collections.synchronizedList(new ArrayList<>());
    private final AtomicInteger samples = new AtomicInteger();
    private final AtomicInteger sightings = new AtomicInteger();
    private final AtomicBoolean stop = new AtomicBoolean();
    private final Thread sampler;

    private SecretSweep(Map<String, String> named, String marker) {
        named.forEach((k, v) -> {
            if (v == null || v.length() < 8)
                throw new IllegalArgumentException(k + ": a secret to sweep for must have 8 characters or more");
            secrets.put(k, v.getBytes(StandardCharsets.UTF_8));
        });
        this.marker = marker;
        sampler = new Thread(this::sample, "secret-sweep");
        sampler.setDaemon(true);
        sampler.start();
    }

    /**
     * Starts sampling every process for {@code secrets} (name to value). A process whose command line contains
     * {@code marker} is the script under test (or the launcher that execs it): its own environment may hold a
     * secret given as a variable, and the number of samples that saw it is {@link #sightings()}.
     */
    public static SecretSweep start(Map<String, String> secrets, String marker) {
        return new SecretSweep(secrets, marker);
    }

    /** Names of the secrets found in {@code bytes}. */
    public List<String> found(byte[] bytes) {
        List<String> out = new ArrayList<>();
        secrets.forEach((name, s) -> {
            if (indexOf(bytes, s) >= 0) out.add(name);
        });
        return out;
    }

    /** Sweeps text the run printed or logged; {@code where} names it in the leak. */
    public SecretSweep text(String where, String text) {
        for (String n : found(text.getBytes(StandardCharsets.UTF_8))) leaks.add(n + " in " + where);
        return this;
    }

    /** Sweeps every regular file under {@code dir} (or the file itself) except those {@code skip} accepts. */
    public SecretSweep files(Path dir, Predicate<Path> skip) {
        if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) return this;
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                if (!Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS) || skip.test(p)) continue;
                for (String n : found(Files.readAllBytes(p))) leaks.add(n + " in " + p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    public List<String> leaks() {
        synchronized (leaks) {
            return List.copyOf(leaks);
        }
    }

    /** How many /proc samples were taken. */
    public int samples() {
        return samples.get();
    }

    /** How many samples saw a process carrying the marker: proof the sampler watched the run. */
    public int sightings() {
        return sightings.get();
    }

    @Override
    public void close() {
        stop.set(true);
        try {
            sampler.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void sample() {
        byte[] mark = marker == null ? null : marker.getBytes(StandardCharsets.UTF_8);
        long self = ProcessHandle.current().pid();
        while (!stop.get()) {
            boolean saw = false;
            try (var dir = Files.newDirectoryStream(
                    Path.of("/proc"), p -> p.getFileName().toString().chars().allMatch(Character::isDigit))) {
                for (Path p : dir) {
                    if (Long.parseLong(p.getFileName().toString()) == self) continue;
                    byte[] cmd = read(p.resolve("cmdline"));
                    if (cmd == null) continue;
                    boolean marked = mark != null && indexOf(cmd, mark) >= 0;
                    saw |= marked;
                    for (String n : found(cmd))
                        leaks.add(n + " in the argv of pid " + p.getFileName() + " (" + show(cmd) + ")");
                    // the JDK's jspawnhelper starts with its JVM's own environment, then execs the child with the
                    // child's
                    if (marked || indexOf(cmd, JSPAWNHELPER) >= 0) continue;
                    byte[] env = read(p.resolve("environ"));
                    // a process in the middle of an exec (nsenter becoming the script, a shell its command) shows an
                    // empty argv before its environment is the new program's: judge it only when the argv read again
                    // after the environment is the same, else the next sample judges the process it has become
                    if (!Arrays.equals(cmd, read(p.resolve("cmdline")))) continue;
                    if (env != null)
                        for (String n : found(env))
                            leaks.add(n + " in the environment of pid " + p.getFileName() + " (" + show(cmd) + ")");
                }
            } catch (IOException e) {
                return;
            }
            samples.incrementAndGet();
            if (saw) sightings.incrementAndGet();
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** The command line with its secrets masked, for a leak message. */
    private String show(byte[] cmd) {
        String s = new String(cmd, StandardCharsets.UTF_8).replace('\0', ' ').strip();
        for (byte[] v : secrets.values()) s = s.replace(new String(v, StandardCharsets.UTF_8), "***");
        return s.length() > 200 ? s.substring(0, 200) + "..." : s;
    }

    private static byte[] read(Path p) {
        try {
            return Files.readAllBytes(p);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    static int indexOf(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i <= hay.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) if (hay[i + j] != needle[j]) continue outer;
            return i;
        }
        return -1;
    }

    /**
     * Puts a wrapper named {@code program} in {@code dir} (put dir first on PATH) that appends its argv and its
     * whole environment to {@code log}, then execs the real {@code program} found on {@code path}: the record of
     * every call, however short, for {@link #files} to sweep.
     */
    public static Path recordingShim(Path dir, String program, String path, Path log) {
        String real = null;
        for (String d : path.split(":")) {
            Path p = Path.of(d, program);
            if (!p.startsWith(dir) && Files.isExecutable(p)) {
                real = p.toString();
                break;
            }
        }
        if (real == null) throw new AssertionError("no " + program + " on " + path);
        try {
            Files.createDirectories(dir);
            Path shim = dir.resolve(program);
            Files.writeString(
                    shim,
                    "#!/bin/sh\n{ printf 'argv:'; printf ' %s' \"$@\"; printf '\\nenv:\\n'; env; echo ---; } >>'" + log
                            + "'\n" + "exec '" + real + "' \"$@\"\n");
            Files.setPosixFilePermissions(shim, PosixFilePermissions.fromString("rwxr-xr-x"));
            return shim;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
