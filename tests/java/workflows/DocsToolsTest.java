package workflows;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** tests/tools/check-speckit.sh (the spec and plan branch workflows) and build-site.mjs (pages, gh-pages). */
class DocsToolsTest {
    static final String[] SOPS = {
        "node-deployment",
        "swarm-join",
        "network-configuration",
        "telemetry-setup",
        "troubleshooting",
        "security-hardening",
        "update-maintenance",
        "disaster-recovery"
    };
    static final String[] TITLES = {
        "Node Deployment",
        "Swarm Join Process",
        "Network Configuration",
        "Telemetry Setup",
        "Troubleshooting Guide",
        "Security Hardening",
        "Update & Maintenance",
        "Disaster Recovery"
    };

    /** A complete .specify tree, in the shape the checker demands. */
    static void writeSpecKit(Path root) throws Exception {
        Path s = Files.createDirectories(root.resolve(".specify/tasks"));
        Files.writeString(
                root.resolve(".specify/constitution.md"),
                "# Constitution\n\n## Core Principles\n\nReal over fake.\n\n## Governance\n\nThe lead merges.\n");
        Files.writeString(
                root.resolve(".specify/spec.md"),
                "# Spec\n\n## Overview\n\nA node.\n\n## User Scenarios\n\n- an operator\n\n"
                        + "## Requirements\n\n- FR-1\n\n## Success Criteria\n\n- SC-1\n");
        Files.writeString(
                root.resolve(".specify/plan.md"),
                "# Plan\n\n## Summary\n\nJBang scripts.\n\n## Technical Context\n\nJava 17.\n\n"
                        + "## Phases\n\n| Phase | Status |\n| --- | --- |\n| 1 Foundation | done |\n| 2 Swarm | in progress |\n");
        for (int i = 0; i < 8; i++) {
            Files.writeString(
                    s.resolve("SOP-00" + (i + 1) + "-" + SOPS[i] + ".md"),
                    "# SOP-00" + (i + 1) + ": " + TITLES[i]
                            + "\n\n## Purpose\n\nWhy.\n\n## Procedure\n\n```sh\njbang install.java --detect\n```\n");
        }
    }

    static Require.Proc speckit(Path root, String mode) {
        return Require.run(
                Require.basedir(),
                Map.of(),
                List.of("bash", "tests/tools/check-speckit.sh", "--root", root.toString(), mode),
                60);
    }

    @Test
    void speckitAcceptsACompleteTree(@TempDir Path tmp) throws Exception {
        writeSpecKit(tmp);
        Require.Proc p = speckit(tmp, "all");
        assertEquals(0, p.exit(), p.out());
    }

    @Test
    void speckitReportsMissingAndEmptySections(@TempDir Path tmp) throws Exception {
        writeSpecKit(tmp);
        Path spec = tmp.resolve(".specify/spec.md");
        Files.writeString(spec, Files.readString(spec).replace("## Requirements\n\n- FR-1\n\n", "## Requirements\n\n"));
        Path constitution = tmp.resolve(".specify/constitution.md");
        Files.writeString(
                constitution, Files.readString(constitution).replace("## Governance\n\nThe lead merges.\n", ""));
        Files.delete(tmp.resolve(".specify/tasks/SOP-006-security-hardening.md"));
        Path plan = tmp.resolve(".specify/plan.md");
        Files.writeString(plan, Files.readString(plan).replace("done", "x").replace("in progress", "y"));

        Require.Proc spec1 = speckit(tmp, "spec");
        assertEquals(1, spec1.exit(), spec1.out());
        assertTrue(spec1.out().contains(".specify/spec.md:11: section 'requirements' is empty"), spec1.out());
        assertTrue(spec1.out().contains(".specify/constitution.md:0: missing section '## governance'"), spec1.out());
        Require.Proc plan1 = speckit(tmp, "plan");
        assertEquals(1, plan1.exit(), plan1.out());
        assertTrue(plan1.out().contains("missing SOP-006 (security hardening)"), plan1.out());
        assertTrue(plan1.out().contains(".specify/plan.md:0: no phase status"), plan1.out());
        assertEquals(2, speckit(tmp, "everything").exit());
    }

    @Test
    void theRepositorysSpecKitPasses() {
        assertTrue(Files.isDirectory(Require.basedir().resolve(".specify")), ".specify/ is missing");
        Require.Proc p =
                Require.run(Require.basedir(), Map.of(), List.of("bash", "tests/tools/check-speckit.sh", "all"), 60);
        assertEquals(0, p.exit(), p.out());
    }

    @Test
    void siteIsBuiltWithWorkingLinksAndBrokenLinksFail(@TempDir Path tmp) throws Exception {
        Require.tool(NodeTools.installed(), NodeTools.MISSING);
        Path root = tmp.resolve("repo");
        writeSpecKit(root);
        Files.createDirectories(root.resolve(".github"));
        Files.writeString(root.resolve("codex.yaml"), "metadata: {}\n");
        Files.writeString(
                root.resolve("README.md"),
                "# PR-CYBR-N0D3\n\nSee the [plan](.specify/plan.md#phases), "
                        + "[SOP-007](.specify/tasks/SOP-007-update-maintenance.md#sop-007-update--maintenance) and [codex](codex.yaml).\n");
        Path site = tmp.resolve("site");
        Require.Proc p = NodeTools.nodeWithEnv(
                Map.of("SITE_ROOT", root.toString()), "tests/tools/build-site.mjs", "--out", site.toString());
        assertEquals(0, p.exit(), p.out());
        String index = Files.readString(site.resolve("index.html"));
        assertTrue(index.contains("href=\"specify/plan.html#phases\""), index);
        assertTrue(
                index.contains("href=\"specify/tasks/SOP-007-update-maintenance.html#sop-007-update--maintenance\""),
                index);
        assertTrue(Files.readString(site.resolve("specify/plan.html")).contains("<h2 id=\"phases\">Phases</h2>"));
        assertEquals("metadata: {}\n", Files.readString(site.resolve("codex.yaml")));
        assertFalse(index.contains(".md\""), "a link still points at Markdown");

        Files.writeString(
                root.resolve("README.md"), "# X\n\n[gone](docs/gone.md) and [anchor](.specify/spec.md#nope)\n");
        Require.Proc broken = NodeTools.nodeWithEnv(
                Map.of("SITE_ROOT", root.toString()), "tests/tools/build-site.mjs", "--out", site.toString());
        assertEquals(1, broken.exit(), broken.out());
        assertTrue(broken.out().contains("index.html: broken link 'docs/gone.md'"), broken.out());
        assertTrue(broken.out().contains("index.html: broken anchor 'specify/spec.html#nope'"), broken.out());

        Require.Proc check = NodeTools.node(
                "tests/tools/build-site.mjs", "--check", tmp.resolve("nowhere").toString());
        assertEquals(2, check.exit(), check.out());
    }

    @Test
    void theRepositorysSiteBuilds(@TempDir Path tmp) {
        Require.tool(NodeTools.installed(), NodeTools.MISSING);
        assertTrue(Files.isRegularFile(Require.basedir().resolve("README.md")), "README.md is missing");
        Require.Proc p = NodeTools.node(
                "tests/tools/build-site.mjs", "--out", tmp.resolve("site").toString());
        assertEquals(0, p.exit(), p.out());
    }
}
