package infra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.bertramlabs.plugins.hcl4j.HCLParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import lib.tfc.TfcSync;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import workflows.Require;

/**
 * Syntax and shape of infra/*.tf with hcl4j, and the variables' validation rules evaluated against what
 * tfc_sync sends (Terraform itself cannot be installed on this kind of machine; see infra/README.md for what
 * this does not catch).
 */
class InfraHclTest {
    /** Top-level block types of the Terraform language. hcl4j accepts some broken files (an unclosed block)
     *  by flattening them; an unknown top-level key is how that shows. */
    static final Set<String> BLOCKS = Set.of(
            "terraform",
            "variable",
            "locals",
            "resource",
            "data",
            "output",
            "module",
            "provider",
            "moved",
            "import",
            "check",
            "removed");

    static Path infra() {
        return Require.basedir().resolve("infra");
    }

    static List<Path> tfFiles(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.toString().endsWith(".tf")).sorted().toList();
        }
    }

    /** One message per problem, "FILE: what". */
    static List<String> check(Path file) {
        List<String> errors = new ArrayList<>();
        Map<String, Object> tree;
        try {
            tree = new HCLParser().parse(file.toFile(), "UTF-8");
        } catch (Exception e) {
            Throwable c = e.getCause() != null && e instanceof RuntimeException ? e.getCause() : e;
            errors.add(file.getFileName() + ": HCL syntax error: " + c.getMessage());
            return errors;
        }
        for (String key : tree.keySet()) {
            if (!BLOCKS.contains(key)) {
                errors.add(file.getFileName() + ": '" + key
                        + "' is not a Terraform top-level block (an unclosed block above it?)");
            }
        }
        return errors;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> parse(Path file) throws Exception {
        return new HCLParser().parse(file.toFile(), "UTF-8");
    }

    @Test
    void everyTfFileParses() throws Exception {
        List<Path> files = tfFiles(infra());
        assertTrue(files.size() >= 4, "versions.tf, variables.tf, main.tf, outputs.tf expected: " + files);
        List<String> errors = new ArrayList<>();
        for (Path f : files) errors.addAll(check(f));
        assertEquals(List.of(), errors);
    }

    @Test
    @SuppressWarnings("unchecked")
    void theCloudBlockTakesOrganisationAndWorkspaceFromTheEnvironment() throws Exception {
        Map<String, Object> terraform =
                (Map<String, Object>) parse(infra().resolve("versions.tf")).get("terraform");
        assertTrue(terraform.containsKey("cloud"), "versions.tf: terraform { cloud {} } expected");
        Map<String, Object> cloud = (Map<String, Object>) terraform.get("cloud");
        assertFalse(
                cloud.containsKey("organization"), "organisation must come from TF_CLOUD_ORGANIZATION, not the file");
        assertFalse(cloud.containsKey("workspaces"), "workspace must come from TF_WORKSPACE, not the file");
    }

    @Test
    @SuppressWarnings("unchecked")
    void theVariablesTfcSyncSetsAreTheRequiredInputs() throws Exception {
        Map<String, Object> vars =
                (Map<String, Object>) parse(infra().resolve("variables.tf")).get("variable");
        Set<String> required = new TreeSet<>();
        for (Map.Entry<String, Object> e : vars.entrySet()) {
            if (!((Map<String, Object>) e.getValue()).containsKey("default")) required.add(e.getKey());
        }
        Set<String> synced =
                new TreeSet<>(TfcSync.desired("1.0.0", "abcdef1", "dev").keySet());
        assertEquals(synced, required, "variables without a default must be exactly the ones tfc_sync sets");
    }

    @Test
    void brokenFilesAreReported(@TempDir Path tmp) throws Exception {
        Path illegal = tmp.resolve("illegal.tf");
        Files.writeString(illegal, "resource \"terraform_data\" \"x\" {\n  input = = 3\n}\n");
        Path unclosed = tmp.resolve("unclosed.tf");
        Files.writeString(unclosed, "variable \"x\" {\n  type    = string\n  default = \"a\"\n");
        Path string = tmp.resolve("string.tf");
        Files.writeString(string, "locals {\n  a = \"unterminated\n}\n");
        List<String> a = check(illegal);
        List<String> b = check(unclosed);
        List<String> c = check(string);
        assertEquals(1, a.size(), a.toString());
        assertTrue(
                a.get(0).startsWith("illegal.tf: HCL syntax error") && a.get(0).contains("line: 2"), a.toString());
        assertFalse(b.isEmpty(), "unclosed block not caught");
        assertTrue(b.get(0).startsWith("unclosed.tf: '"), b.toString());
        assertFalse(c.isEmpty(), "unterminated string not caught");
    }

    /**
     * One variable's validation condition, in the two forms variables.tf uses: {@code can(regex("RE", var.x))}
     * (RE2 syntax; the patterns here mean the same to java.util.regex) and {@code contains([...], var.x)}.
     * Any other form fails the test, so a rule it cannot read is never passed over.
     */
    record Rule(String variable, Predicate<String> accepts, String errorMessage) {}

    static final Pattern VARIABLE = Pattern.compile("(?m)^variable \"([a-z_]+)\" \\{");
    static final Pattern REGEX =
            Pattern.compile("condition\\s*=\\s*can\\(regex\\(\"((?:[^\"\\\\]|\\\\.)*)\",\\s*var\\.([a-z_]+)\\)\\)");
    static final Pattern CONTAINS =
            Pattern.compile("condition\\s*=\\s*contains\\(\\[([^\\]]*)\\],\\s*var\\.([a-z_]+)\\)");

    @SuppressWarnings("unchecked")
    static Map<String, Rule> rules() throws Exception {
        String text = Files.readString(infra().resolve("variables.tf"));
        Map<String, Object> vars =
                (Map<String, Object>) parse(infra().resolve("variables.tf")).get("variable");
        Map<String, Rule> rules = new TreeMap<>();
        Matcher v = VARIABLE.matcher(text);
        List<int[]> blocks = new ArrayList<>();
        while (v.find()) blocks.add(new int[] {v.start(), v.end()});
        for (int i = 0; i < blocks.size(); i++) {
            String block =
                    text.substring(blocks.get(i)[0], i + 1 < blocks.size() ? blocks.get(i + 1)[0] : text.length());
            Matcher name = VARIABLE.matcher(block);
            assertTrue(name.find());
            String var = name.group(1);
            if (!block.contains("validation {")) continue;
            Map<String, Object> validation =
                    (Map<String, Object>) ((Map<String, Object>) vars.get(var)).get("validation");
            String message = String.valueOf(validation.get("error_message"));
            Matcher re = REGEX.matcher(block);
            Matcher in = CONTAINS.matcher(block);
            if (re.find()) {
                assertEquals(var, re.group(2), "variables.tf: the rule of " + var + " tests another variable");
                Pattern p = Pattern.compile(re.group(1).replace("\\\\", "\\").replace("\\\"", "\""));
                rules.put(var, new Rule(var, s -> p.matcher(s).find(), message));
            } else if (in.find()) {
                assertEquals(var, in.group(2), "variables.tf: the rule of " + var + " tests another variable");
                List<String> allowed = new ArrayList<>();
                for (String item : in.group(1).split(","))
                    allowed.add(item.strip().replaceAll("^\"|\"$", ""));
                rules.put(var, new Rule(var, allowed::contains, message));
            } else {
                fail("variables.tf: the validation of " + var + " has a form this test cannot evaluate:\n" + block);
            }
        }
        return rules;
    }

    /** What tfc_sync would send for one value (the other two valid), or null when it refuses the value itself. */
    static String sent(String variable, String value) {
        try {
            Map<String, String> d = switch (variable) {
                case "node_version" -> TfcSync.desired(value, "abcdef1", "dev");
                case "commit_sha" -> TfcSync.desired("1.0.0", value, "dev");
                default -> TfcSync.desired("1.0.0", "abcdef1", value);
            };
            return d.get(variable);
        } catch (lib.cli.N0d3Exception e) {
            return null;
        }
    }

    /**
     * Terraform itself cannot be installed on this kind of machine, so what a local plan proved is checked here:
     * each validation rule of variables.tf accepts every value tfc_sync sends and rejects every value it refuses,
     * and its error message says what is expected.
     */
    @Test
    void theValidationRulesAgreeWithWhatTfcSyncSends() throws Exception {
        Map<String, Rule> rules = rules();
        assertEquals(
                Set.of("commit_sha", "environment", "node_version"),
                rules.keySet(),
                "each variable tfc_sync sets has a rule");
        Map<String, List<String>> values = Map.of(
                "node_version",
                        List.of(
                                "0.1.0",
                                "1.4.2",
                                "10.20.30",
                                "1.0.0-rc.1",
                                "1.0.0+build.5",
                                "0.1",
                                "v1.0.0",
                                "1.0.0-",
                                "1.0",
                                "",
                                "1.0.0 "),
                "commit_sha",
                        List.of(
                                "abcdef1",
                                "0123456789abcdef0123456789abcdef01234567",
                                "ABCDEF1",
                                "XYZ",
                                "abc",
                                "g123456",
                                "0123456789abcdef0123456789abcdef012345678",
                                ""),
                "environment", List.of("dev", "test", "stage", "prod", "qa", "Stage", ""));
        for (Map.Entry<String, List<String>> e : values.entrySet()) {
            Rule rule = rules.get(e.getKey());
            int accepted = 0;
            for (String value : e.getValue()) {
                String sent = sent(e.getKey(), value);
                if (sent != null) {
                    accepted++;
                    assertTrue(
                            rule.accepts().test(sent),
                            e.getKey() + ": tfc_sync sends '" + sent + "' (from '" + value
                                    + "'), variables.tf refuses it");
                } else {
                    assertFalse(
                            rule.accepts().test(value),
                            e.getKey() + ": tfc_sync refuses '" + value + "', variables.tf accepts it");
                }
            }
            assertTrue(accepted > 0 && accepted < e.getValue().size(), e.getKey() + ": the values cover both sides");
        }
        assertTrue(
                rules.get("node_version").errorMessage().contains("must be a semantic version"),
                rules.get("node_version").errorMessage());
        assertTrue(
                rules.get("commit_sha").errorMessage().contains("hexadecimal"),
                rules.get("commit_sha").errorMessage());
        assertTrue(
                rules.get("environment").errorMessage().contains("one of dev, test, stage, prod"),
                rules.get("environment").errorMessage());
    }
}
