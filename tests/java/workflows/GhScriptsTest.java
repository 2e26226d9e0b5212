package workflows;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The workflows' scripts (.github/scripts) against tests/fakes/gh, which serves the GitHub REST API's
 * documents (shapes from https://docs.github.com/en/rest: compare, pulls, actions runs, issues, git refs).
 */
class GhScriptsTest {
    static final String REPO = "pr-cybr/n0d3";

    @TempDir
    Path tmp;

    Path answers;
    Path log;

    @BeforeEach
    void setUp() throws Exception {
        Require.tool(
                Require.onPath("jq").isPresent(), "jq not installed (Debian package jq): the gh fake filters with it");
        answers = Files.createDirectories(tmp.resolve("answers"));
        log = tmp.resolve("gh.log");
        Files.writeString(log, "");
    }

    void answer(String key, String json) throws Exception {
        Files.writeString(answers.resolve(key + ".json"), json);
    }

    void status(String key, int status) throws Exception {
        Files.writeString(answers.resolve(key + ".status"), Integer.toString(status));
    }

    Require.Proc script(String name, Map<String, String> extraEnv, String... args) {
        Map<String, String> env = new HashMap<>();
        env.put("PATH", Require.basedir().resolve("tests/fakes") + ":" + System.getenv("PATH"));
        env.put("FAKE_GH_DIR", answers.toString());
        env.put("FAKE_GH_LOG", log.toString());
        env.put("GH_REPO", REPO);
        env.put("GH_TOKEN", "ghs_fakeTokenNeverPrinted000");
        env.putAll(extraEnv);
        List<String> cmd = new ArrayList<>(List.of("bash", ".github/scripts/" + name));
        cmd.addAll(List.of(args));
        return Require.run(Require.basedir(), env, cmd, 60);
    }

    List<String> calls() throws Exception {
        return Files.readAllLines(log);
    }

    static String compare(String status, int ahead, int behind) {
        // GET /repos/{owner}/{repo}/compare/{basehead} (trimmed to the fields that matter)
        return "{\"url\":\"https://api.github.com/repos/pr-cybr/n0d3/compare/plan...spec\",\"status\":\"" + status
                + "\",\"ahead_by\":" + ahead + ",\"behind_by\":" + behind + ",\"total_commits\":" + ahead
                + ",\"commits\":[],\"files\":[]}";
    }

    static final String PR_OPEN = "[{\"number\":7,\"url\":\"https://github.com/pr-cybr/n0d3/pull/7\"}]";

    @Test
    void promoteOpensAPullRequestWhenAheadAndNoneOpen() throws Exception {
        answer("GET_repos_pr-cybr_n0d3_compare_plan...spec", compare("ahead", 3, 0));
        Files.writeString(answers.resolve("pr_list.json"), "[]");
        Require.Proc p = script(
                "promote.sh",
                Map.of("SOURCE_SHA", "abc1234", "RUN_URL", "https://github.com/x/runs/1"),
                "spec",
                "plan");
        assertEquals(0, p.exit(), p.out());
        assertTrue(
                p.out().contains("opened https://github.com/pr-cybr/n0d3/pull/101 (spec is 3 commit(s) ahead of plan)"),
                p.out());
        String create = calls().stream()
                .filter(c -> c.startsWith("pr create"))
                .findFirst()
                .orElseThrow();
        assertTrue(create.contains("--base plan --head spec"), create);
        assertTrue(create.contains("--title Promote\\ spec\\ to\\ plan"), create);
        assertTrue(create.contains("abc1234") && create.contains("https://github.com/x/runs/1"), create);
        assertTrue(
                calls().stream()
                        .anyMatch(c -> c.startsWith("pr list") && c.contains("--base plan --head spec --state open")),
                calls().toString());
        assertFalse(p.out().contains("ghs_fakeTokenNeverPrinted000"));
    }

    @Test
    void promoteDoesNothingWhenTheBranchesDoNotDiffer() throws Exception {
        answer("GET_repos_pr-cybr_n0d3_compare_plan...spec", compare("identical", 0, 0));
        Require.Proc p = script("promote.sh", Map.of(), "spec", "plan");
        assertEquals(0, p.exit(), p.out());
        assertTrue(p.out().contains("nothing to promote"), p.out());
        assertEquals(1, calls().size(), "only the compare: " + calls());

        answer("GET_repos_pr-cybr_n0d3_compare_plan...spec", compare("behind", 0, 4));
        Require.Proc behind = script("promote.sh", Map.of(), "spec", "plan");
        assertEquals(0, behind.exit(), behind.out());
        assertTrue(calls().stream().noneMatch(c -> c.startsWith("pr ")), calls().toString());
    }

    @Test
    void promoteDoesNotOpenASecondPullRequest() throws Exception {
        answer("GET_repos_pr-cybr_n0d3_compare_main...dev", compare("diverged", 2, 1));
        Files.writeString(answers.resolve("pr_list.json"), PR_OPEN);
        Require.Proc p = script("promote.sh", Map.of(), "dev", "main");
        assertEquals(0, p.exit(), p.out());
        assertTrue(p.out().contains("promotion already open: https://github.com/pr-cybr/n0d3/pull/7"), p.out());
        assertTrue(calls().stream().noneMatch(c -> c.startsWith("pr create")), calls().toString());
    }

    @Test
    void promoteFailsClearlyWhenABranchIsMissing() throws Exception {
        status("GET_repos_pr-cybr_n0d3_compare_pages...prod", 404);
        Require.Proc p = script("promote.sh", Map.of(), "prod", "pages");
        assertEquals(1, p.exit(), p.out());
        assertTrue(
                p.out().contains("::error::cannot compare pages...prod in pr-cybr/n0d3: a branch is missing"), p.out());
        Require.Proc usage = script("promote.sh", Map.of(), "prod");
        assertEquals(2, usage.exit(), usage.out());
    }

    static String runs(String conclusion, String url) {
        // GET /repos/{owner}/{repo}/actions/workflows/{workflow_id}/runs
        return "{\"total_count\":1,\"workflow_runs\":[{\"id\":42,\"name\":\"Branch stage\",\"head_branch\":\"stage\","
                + "\"head_sha\":\"0123456789abcdef0123456789abcdef01234567\",\"event\":\"push\",\"status\":\"completed\","
                + "\"conclusion\":\"" + conclusion + "\",\"html_url\":\"" + url + "\"}]}";
    }

    @Test
    void dailyVerificationOpensOneIssuePerFailingStage() throws Exception {
        answer(
                "GET_repos_pr-cybr_n0d3_actions_workflows_branch-stage.yml_runs",
                runs("failure", "https://github.com/pr-cybr/n0d3/actions/runs/42"));
        answer(
                "GET_repos_pr-cybr_n0d3_actions_workflows_branch-dev.yml_runs",
                runs("success", "https://github.com/pr-cybr/n0d3/actions/runs/41"));
        answer(
                "GET_repos_pr-cybr_n0d3_actions_workflows_branch-pages.yml_runs",
                "{\"total_count\":0,\"workflow_runs\":[]}");
        // GET /repos/{owner}/{repo}/issues: pull requests are issues too, with a pull_request key
        answer(
                "GET_repos_pr-cybr_n0d3_issues",
                "[{\"number\":3,\"title\":\"Stage check failing: branch-stage.yml on stage\","
                        + "\"html_url\":\"https://github.com/pr-cybr/n0d3/pull/3\",\"pull_request\":{\"url\":\"x\"}}]");
        answer(
                "POST_repos_pr-cybr_n0d3_issues",
                "{\"number\":12,\"html_url\":\"https://github.com/pr-cybr/n0d3/issues/12\"}");
        Path summary = tmp.resolve("summary.md");
        Require.Proc p = script(
                "verify-runs.sh",
                Map.of("GITHUB_STEP_SUMMARY", summary.toString()),
                "branch-stage.yml:stage",
                "branch-dev.yml:dev",
                "branch-pages.yml:pages");
        assertEquals(0, p.exit(), p.out());
        assertTrue(p.out().contains("FAILED: branch-stage.yml on stage: failure"), p.out());
        assertTrue(p.out().contains("opened https://github.com/pr-cybr/n0d3/issues/12"), p.out());
        assertTrue(p.out().contains("ok: branch-pages.yml on pages: none/none"), p.out());
        List<String> posts = calls().stream()
                .filter(c -> c.startsWith("api repos/pr-cybr/n0d3/issues -f"))
                .toList();
        assertEquals(1, posts.size(), calls().toString());
        assertTrue(
                posts.get(0).contains("title=Stage\\ check\\ failing:\\ branch-stage.yml\\ on\\ stage"), posts.get(0));
        assertTrue(Files.readString(summary).contains("| branch-stage.yml | stage | completed | failure |"));

        // an open issue (not a pull request) with that title: not reported twice
        answer(
                "GET_repos_pr-cybr_n0d3_issues",
                "[{\"number\":12,\"title\":\"Stage check failing: branch-stage.yml on stage\","
                        + "\"html_url\":\"https://github.com/pr-cybr/n0d3/issues/12\"}]");
        Files.writeString(log, "");
        Require.Proc again = script("verify-runs.sh", Map.of(), "branch-stage.yml:stage");
        assertEquals(0, again.exit(), again.out());
        assertTrue(again.out().contains("already reported: https://github.com/pr-cybr/n0d3/issues/12"), again.out());
        assertTrue(calls().stream().noneMatch(c -> c.contains(" -f ")), calls().toString());
    }

    @Test
    void provisionCreatesOnlyMissingBranches() throws Exception {
        answer("GET_repos_pr-cybr_n0d3", "{\"full_name\":\"pr-cybr/n0d3\",\"default_branch\":\"main\"}");
        answer(
                "GET_repos_pr-cybr_n0d3_git_ref_heads_main",
                "{\"ref\":\"refs/heads/main\",\"object\":{\"sha\":\"feedc0de00000000000000000000000000000000\",\"type\":\"commit\"}}");
        answer(
                "GET_repos_pr-cybr_n0d3_branches",
                "[{\"name\":\"main\",\"protected\":true},{\"name\":\"spec\",\"protected\":false}]");
        answer(
                "POST_repos_pr-cybr_n0d3_git_refs",
                "{\"ref\":\"refs/heads/plan\",\"object\":{\"sha\":\"feedc0de00000000000000000000000000000000\"}}");
        Require.Proc dry = script("provision-branches.sh", Map.of(), "--dry-run", "spec", "plan");
        assertEquals(0, dry.exit(), dry.out());
        assertTrue(
                dry.out().contains("unchanged: spec exists")
                        && dry.out().contains("would create: plan at main (feedc0de"),
                dry.out());
        assertTrue(calls().stream().noneMatch(c -> c.contains(" -f ")), calls().toString());

        Require.Proc p = script("provision-branches.sh", Map.of(), "spec", "plan", "gh-pages");
        assertEquals(0, p.exit(), p.out());
        List<String> creates = calls().stream()
                .filter(c -> c.startsWith("api repos/pr-cybr/n0d3/git/refs"))
                .toList();
        assertEquals(2, creates.size(), calls().toString());
        assertTrue(
                creates.get(0).contains("ref=refs/heads/plan")
                        && creates.get(0).contains("sha=feedc0de00000000000000000000000000000000"),
                creates.get(0));
        assertTrue(creates.get(1).contains("ref=refs/heads/gh-pages"), creates.get(1));
        assertTrue(p.out().contains("branches: 2 created, 3 checked"), p.out());
    }

    /** An OCI image index as a registry serves it (https://github.com/opencontainers/image-spec/blob/main/image-index.md),
     *  with the attestation entries buildx adds. */
    static final String INDEX =
            "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.index.v1+json\",\"manifests\":["
                    + "{\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"digest\":\"sha256:"
                    + "a".repeat(64) + "\",\"size\":1,\"platform\":{\"architecture\":\"amd64\",\"os\":\"linux\"}},"
                    + "{\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"digest\":\"sha256:"
                    + "b".repeat(64) + "\",\"size\":1,\"platform\":{\"architecture\":\"arm64\",\"os\":\"linux\"}},"
                    + "{\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"digest\":\"sha256:"
                    + "c".repeat(64)
                    + "\",\"size\":1,\"platform\":{\"architecture\":\"arm\",\"os\":\"linux\",\"variant\":\"v7\"}},"
                    + "{\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"digest\":\"sha256:"
                    + "d".repeat(64) + "\",\"size\":1,\"platform\":{\"architecture\":\"unknown\",\"os\":\"unknown\"},"
                    + "\"annotations\":{\"vnd.docker.reference.type\":\"attestation-manifest\"}}]}";

    Require.Proc verifyManifest(String json, String... platforms) throws Exception {
        Path in = tmp.resolve("manifest.json");
        Files.writeString(in, json);
        List<String> cmd = new ArrayList<>(
                List.of("bash", "-c", "bash .github/scripts/verify-manifest.sh \"$@\" < " + in, "verify"));
        cmd.addAll(List.of(platforms));
        return Require.run(Require.basedir(), Map.of(), cmd, 30);
    }

    @Test
    void verifyManifestWantsExactlyThePlatforms() throws Exception {
        Require.Proc ok = verifyManifest(INDEX, "linux/amd64", "linux/arm64", "linux/arm/v7");
        assertEquals(0, ok.exit(), ok.out());
        Require.Proc missing = verifyManifest(
                INDEX.replace("\"variant\":\"v7\"", "\"variant\":\"v6\""),
                "linux/amd64",
                "linux/arm64",
                "linux/arm/v7");
        assertEquals(1, missing.exit(), missing.out());
        assertTrue(
                missing.out()
                        .contains(
                                "the index lists [linux/amd64 linux/arm/v6 linux/arm64], expected [linux/amd64 linux/arm/v7 linux/arm64]"),
                missing.out());
        Require.Proc single = verifyManifest(
                "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"layers\":[]}",
                "linux/amd64");
        assertEquals(1, single.exit(), single.out());
        assertTrue(single.out().contains("not a multi-arch index"), single.out());
    }
}
