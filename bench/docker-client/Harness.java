import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs each probe N times, interleaved, in a fresh JVM: wall time from spawning `java` to reading the
 * probe's READY line (the answer to GET /info is in hand), peak RSS, and the classes loaded (counted in
 * separate runs with -Xlog:class+load, so that logging does not slow the timed runs).
 * Usage: java Harness.java RUNS OUTDIR name=classpath:MainClass ...
 */
public class Harness {
    record Variant(String name, String classpath, String main) {}

    public static void main(String[] args) throws Exception {
        int runs = Integer.parseInt(args[0]);
        Path out = Path.of(args[1]);
        List<Variant> variants = new ArrayList<>();
        for (int i = 2; i < args.length; i++) {
            String[] nv = args[i].split("=", 2);
            int colon = nv[1].lastIndexOf(':');
            variants.add(new Variant(nv[0], nv[1].substring(0, colon), nv[1].substring(colon + 1)));
        }
        Map<String, List<Double>> wall = new LinkedHashMap<>();
        Map<String, List<Long>> rss = new LinkedHashMap<>();
        for (Variant v : variants) {
            wall.put(v.name(), new ArrayList<>());
            rss.put(v.name(), new ArrayList<>());
            run(v, null); // warm the page cache once, not counted
        }
        for (int r = 0; r < runs; r++) {
            for (Variant v : variants) {
                long[] m = run(v, null);
                wall.get(v.name()).add(m[0] / 1e6);
                rss.get(v.name()).add(m[1]);
            }
        }
        Map<String, Long> classes = new LinkedHashMap<>();
        for (Variant v : variants) {
            Path log = out.resolve("classload-" + v.name() + ".log");
            run(v, log);
            classes.put(
                    v.name(),
                    Files.readAllLines(log).stream()
                            .filter(l -> l.contains("source:"))
                            .count());
        }

        System.out.printf(
                "%n%-12s %10s %10s %10s %10s %12s %10s%n",
                "client", "median ms", "min ms", "max ms", "classes", "peak RSS MiB", "cp MiB");
        for (Variant v : variants) {
            List<Double> w = new ArrayList<>(wall.get(v.name()));
            Collections.sort(w);
            List<Long> m = new ArrayList<>(rss.get(v.name()));
            Collections.sort(m);
            System.out.printf(
                    "%-12s %10.0f %10.0f %10.0f %10d %12.1f %10.1f%n",
                    v.name(),
                    median(w),
                    w.get(0),
                    w.get(w.size() - 1),
                    classes.get(v.name()),
                    m.get(m.size() / 2) / 1024.0,
                    classpathMiB(v.classpath()));
        }
        if (wall.containsKey("ours") && wall.containsKey("docker-java")) {
            double ours = median(sorted(wall.get("ours")));
            double dj = median(sorted(wall.get("docker-java")));
            System.out.printf(
                    "%ndocker-java / ours: %.2fx wall, %.2fx classes%n",
                    dj / ours, classes.get("docker-java") / (double) classes.get("ours"));
            if (wall.containsKey("baseline")) {
                double base = median(sorted(wall.get("baseline")));
                System.out.printf(
                        "above the bare JVM (%.0f ms): ours +%.0f ms, docker-java +%.0f ms%n",
                        base, ours - base, dj - base);
            }
        }
        System.out.printf(
                "(%d timed runs each, interleaved; %s)%n",
                runs, System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
    }

    static List<Double> sorted(List<Double> l) {
        List<Double> s = new ArrayList<>(l);
        Collections.sort(s);
        return s;
    }

    static double median(List<Double> sorted) {
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    static double classpathMiB(String cp) throws Exception {
        long bytes = 0;
        for (String e : cp.split(":")) {
            Path p = Path.of(e);
            if (Files.isRegularFile(p)) bytes += Files.size(p);
            else if (Files.isDirectory(p)) {
                try (var s = Files.walk(p)) {
                    bytes += s.filter(Files::isRegularFile)
                            .mapToLong(f -> f.toFile().length())
                            .sum();
                }
            }
        }
        return bytes / 1048576.0;
    }

    /** Returns {nanoseconds to READY, peak RSS kB}. */
    static long[] run(Variant v, Path classLog) throws Exception {
        List<String> cmd = new ArrayList<>(
                List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        if (classLog != null) cmd.add("-Xlog:class+load=info:file=" + classLog);
        cmd.addAll(List.of("-cp", v.classpath(), v.main()));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT);
        long t0 = System.nanoTime();
        Process p = pb.start();
        String ready = null;
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = r.readLine()) != null; ) {
                if (line.startsWith("READY ")) {
                    ready = line;
                    break;
                }
            }
        }
        long t = System.nanoTime() - t0;
        int rc = p.waitFor();
        if (ready == null || rc != 0) throw new IllegalStateException(v.name() + ": no READY line (exit " + rc + ")");
        long rssKb = Long.parseLong(ready.replaceAll(".*rss_kb=", ""));
        return new long[] {t, rssKb};
    }
}
