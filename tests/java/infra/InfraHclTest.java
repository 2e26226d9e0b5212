package infra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.bertramlabs.plugins.hcl4j.HCLParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import lib.tfc.TfcSync;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import workflows.Require;

/**
 * Syntax and shape of infra/*.tf with hcl4j (Terraform itself is not packaged for this machine; see
 * infra/README.md for what this does not catch). When a terraform binary happens to be on PATH,
 * terraform validate, fmt and a local plan run too.
 */
class InfraHclTest {
    /** Top-level block types of the Terraform language. hcl4j accepts some broken files (an unclosed block)
     *  by flattening them; an unknown top-level key is how that shows. */
    static final Set<String> BLOCKS = Set.of("terraform", "variable", "locals", "resource", "data", "output", "module",
            "provider", "moved", "import", "check", "removed");

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
                errors.add(file.getFileName() + ": '" + key + "' is not a Terraform top-level block (an unclosed block above it?)");
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
        Map<String, Object> terraform = (Map<String, Object>) parse(infra().resolve("versions.tf")).get("terraform");
        assertTrue(terraform.containsKey("cloud"), "versions.tf: terraform { cloud {} } expected");
        Map<String, Object> cloud = (Map<String, Object>) terraform.get("cloud");
        assertFalse(cloud.containsKey("organization"), "organisation must come from TF_CLOUD_ORGANIZATION, not the file");
        assertFalse(cloud.containsKey("workspaces"), "workspace must come from TF_WORKSPACE, not the file");
    }

    @Test
    @SuppressWarnings("unchecked")
    void theVariablesTfcSyncSetsAreTheRequiredInputs() throws Exception {
        Map<String, Object> vars = (Map<String, Object>) parse(infra().resolve("variables.tf")).get("variable");
        Set<String> required = new TreeSet<>();
        for (Map.Entry<String, Object> e : vars.entrySet()) {
            if (!((Map<String, Object>) e.getValue()).containsKey("default")) required.add(e.getKey());
        }
        Set<String> synced = new TreeSet<>(TfcSync.desired("1.0.0", "abcdef1", "dev").keySet());
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
        assertTrue(a.get(0).startsWith("illegal.tf: HCL syntax error") && a.get(0).contains("line: 2"), a.toString());
        assertFalse(b.isEmpty(), "unclosed block not caught");
        assertTrue(b.get(0).startsWith("unclosed.tf: '"), b.toString());
        assertFalse(c.isEmpty(), "unterminated string not caught");
    }

    /** Optional: only where a terraform binary is installed (not on a fresh machine of this kind). */
    @Test
    void terraformValidateFmtAndPlanWhenInstalled(@TempDir Path tmp) throws Exception {
        var tf = Require.onPath("terraform");
        Assumptions.assumeTrue(tf.isPresent(), "terraform is not installed here (not packaged for Debian); hcl4j checks only");
        Path dir = tmp.resolve("infra");
        Files.createDirectories(dir);
        for (Path f : tfFiles(infra())) Files.copy(f, dir.resolve(f.getFileName()));
        Map<String, String> env = Map.of("CHECKPOINT_DISABLE", "1", "TF_IN_AUTOMATION", "1", "TF_INPUT", "0",
                "TF_DATA_DIR", tmp.resolve("tfdata").toString());
        String bin = tf.get().toString();
        Require.Proc init = Require.run(dir, env, List.of(bin, "init", "-backend=false", "-no-color"), 120);
        assertEquals(0, init.exit(), init.out());
        Require.Proc validate = Require.run(dir, env, List.of(bin, "validate", "-no-color"), 120);
        assertEquals(0, validate.exit(), validate.out());
        Require.Proc fmt = Require.run(dir, env, List.of(bin, "fmt", "-check", "-diff", "-no-color"), 60);
        assertEquals(0, fmt.exit(), "terraform fmt wants changes:\n" + fmt.out());

        // a local plan (the cloud block swapped for a local backend by an override file) checks the
        // variables' validation rules for real
        Files.writeString(dir.resolve("zz_local_override.tf"), "terraform {\n  backend \"local\" {}\n}\n");
        Map<String, String> env2 = Map.of("CHECKPOINT_DISABLE", "1", "TF_IN_AUTOMATION", "1", "TF_INPUT", "0",
                "TF_DATA_DIR", tmp.resolve("tfdata2").toString());
        Require.Proc init2 = Require.run(dir, env2, List.of(bin, "init", "-no-color"), 120);
        assertEquals(0, init2.exit(), init2.out());
        Require.Proc good = Require.run(dir, env2, List.of(bin, "plan", "-no-color", "-var", "node_version=0.1.0",
                "-var", "commit_sha=abcdef1", "-var", "environment=stage"), 120);
        assertEquals(0, good.exit(), good.out());
        assertTrue(good.out().contains("release_id   = \"stage-0.1.0-abcdef1\""), good.out());
        Require.Proc bad = Require.run(dir, env2, List.of(bin, "plan", "-no-color", "-var", "node_version=0.1",
                "-var", "commit_sha=XYZ", "-var", "environment=qa"), 120);
        assertEquals(1, bad.exit(), bad.out());
        assertTrue(bad.out().contains("must be a semantic version") && bad.out().contains("hexadecimal")
                && bad.out().contains("one of dev, test, stage, prod"), bad.out());
    }
}
