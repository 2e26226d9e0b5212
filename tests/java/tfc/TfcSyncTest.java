package tfc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import lib.cli.BaseCommand;
import lib.cli.Cli;
import lib.cli.Log;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** tfc_sync.java end to end (in-process) against the loopback fake of the TFC API. */
class TfcSyncTest {
    static final String TOKEN = "tfcTOKENx9.atlasv1.s3cr3tVALUEthatMustNeverShow";
    static final String ORG = "pr-cybr";
    static final String WS = "n0d3-stage";
    static final String SHA = "0123456789abcdef0123456789abcdef01234567";

    @TempDir
    Path tmp;

    FakeTfc tfc;
    String wsId;
    Path codex;

    record Run(int exit, String out, String err) {
        String all() {
            return out + err;
        }
    }

    @BeforeEach
    void start() throws Exception {
        tfc = new FakeTfc(TOKEN);
        wsId = tfc.addWorkspace(ORG, WS);
        codex = tmp.resolve("codex.yaml");
        Files.writeString(codex, "metadata:\n  version: 1.4.2\n");
    }

    @AfterEach
    void stop() {
        tfc.close();
        Log.reset();
    }

    Map<String, String> env() {
        Map<String, String> env = new HashMap<>();
        env.put("TFC_TOKEN", TOKEN);
        env.put("TF_CLOUD_ORGANIZATION", ORG);
        env.put("TF_WORKSPACE", WS);
        return env;
    }

    Run sync(Map<String, String> env, String... extra) throws Exception {
        List<String> args = new ArrayList<>(
                List.of("--config", codex.toString(), "--api-url", tfc.url(), "--environment", "stage"));
        if (!List.of(extra).contains("--sha")) args.addAll(List.of("--sha", SHA));
        args.addAll(List.of(extra));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Log.redirect(
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        // the script lives in the default package: reach it by name
        BaseCommand cmd =
                (BaseCommand) Class.forName("tfc_sync").getDeclaredConstructor().newInstance();
        int exit = Cli.execute(cmd.withEnv(env), args.toArray(String[]::new));
        Log.reset();
        return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    void assertEveryRequestAuthorised() {
        assertFalse(tfc.requests.isEmpty());
        for (FakeTfc.Request r : tfc.requests) {
            assertEquals("Bearer " + TOKEN, r.authorization(), r.method() + " " + r.path());
            assertEquals(FakeTfc.MEDIA_TYPE, r.accept(), r.method() + " " + r.path());
            if (r.body() != null) assertEquals(FakeTfc.MEDIA_TYPE, r.contentType(), r.method() + " " + r.path());
        }
    }

    @Test
    void createsTheVariablesAndQueuesARunWithAutoApplyOff() throws Exception {
        Run r = sync(env(), "--json");
        assertEquals(0, r.exit(), r.all());
        assertEveryRequestAuthorised();
        assertFalse(r.all().contains(TOKEN), "token printed");

        assertEquals(
                "1.4.2",
                tfc.var(wsId, "node_version", "terraform").value,
                "node_version comes from codex.yaml metadata.version");
        assertEquals(SHA, tfc.var(wsId, "commit_sha", "terraform").value);
        assertEquals("stage", tfc.var(wsId, "environment", "terraform").value);
        List<FakeTfc.Request> posts = tfc.requests("POST");
        assertEquals(4, posts.size(), "3 variables + 1 run");
        for (FakeTfc.Request p : posts.subList(0, 3)) {
            JsonNode a = p.body().path("data").path("attributes");
            assertEquals("/api/v2/workspaces/" + wsId + "/vars", p.path());
            assertEquals("vars", p.body().path("data").path("type").asText());
            assertEquals("terraform", a.path("category").asText());
            assertFalse(a.path("hcl").asBoolean(true));
            assertFalse(a.path("sensitive").asBoolean(true));
        }
        FakeTfc.Request run = posts.get(3);
        assertEquals("/api/v2/runs", run.path());
        assertEquals("runs", run.body().path("data").path("type").asText());
        assertTrue(run.body().path("data").path("attributes").has("auto-apply"), "auto-apply must be sent explicitly");
        assertFalse(
                run.body().path("data").path("attributes").path("auto-apply").asBoolean(true),
                "auto-apply must be false");
        assertEquals(
                wsId,
                run.body()
                        .path("data")
                        .path("relationships")
                        .path("workspace")
                        .path("data")
                        .path("id")
                        .asText());
        assertEquals(1, tfc.runs.size());

        JsonNode json = new ObjectMapper().readTree(r.out());
        assertEquals(wsId, json.path("workspace_id").asText());
        assertTrue(json.path("run").path("id").asText().startsWith("run-"));
        assertFalse(json.path("run").path("auto_apply").asBoolean(true));
        assertTrue(json.path("run")
                .path("url")
                .asText()
                .endsWith("/app/pr-cybr/workspaces/n0d3-stage/runs/"
                        + json.path("run").path("id").asText()));
    }

    @Test
    void updatesOnlyWhatDiffersAndIgnoresEnvCategoryNamesakes() throws Exception {
        FakeTfc.Var version = tfc.addVar(wsId, "node_version", "1.4.2", "terraform", false);
        FakeTfc.Var sha = tfc.addVar(wsId, "commit_sha", "deadbee", "terraform", false);
        tfc.addVar(wsId, "environment", "shell-env", "env", false);

        Run r = sync(env());
        assertEquals(0, r.exit(), r.all());
        assertEveryRequestAuthorised();
        List<FakeTfc.Request> patches = tfc.requests("PATCH");
        assertEquals(1, patches.size(), "only commit_sha differs");
        assertEquals(
                "/api/v2/workspaces/" + wsId + "/vars/" + sha.id, patches.get(0).path());
        assertEquals(sha.id, patches.get(0).body().path("data").path("id").asText());
        assertEquals(SHA, sha.value);
        assertEquals(0, version.version, "an equal variable is not touched");
        assertEquals(
                "stage",
                tfc.var(wsId, "environment", "terraform").value,
                "terraform variable created beside the env one");
        assertEquals("shell-env", tfc.var(wsId, "environment", "env").value);
        assertTrue(r.out().contains("commit_sha    updated       deadbee -> " + SHA), r.out());
        assertTrue(r.out().contains("node_version  unchanged"), r.out());
        assertEquals(1, tfc.runs.size());
    }

    @Test
    void aConvergedWorkspaceIsLeftAloneAndSaysSo() throws Exception {
        assertEquals(0, sync(env()).exit());
        tfc.requests.clear();
        Run again = sync(env());
        assertEquals(0, again.exit(), again.all());
        assertTrue(
                tfc.requests.stream().allMatch(x -> x.method().equals("GET")), "a re-run only reads: " + tfc.requests);
        assertEquals(1, tfc.runs.size(), "no second run");
        assertTrue(again.out().contains("nothing changed"), again.out());

        Run forced = sync(env(), "--force-run");
        assertEquals(0, forced.exit(), forced.all());
        assertEquals(2, tfc.runs.size(), "--force-run queues one anyway");
    }

    @Test
    void dryRunOnlyReadsAndPrintsThePlan() throws Exception {
        tfc.addVar(wsId, "commit_sha", "deadbee", "terraform", false);
        Run r = sync(env(), "--dry-run");
        assertEquals(0, r.exit(), r.all());
        assertTrue(tfc.requests.stream().allMatch(x -> x.method().equals("GET")), tfc.requests.toString());
        assertNull(tfc.var(wsId, "node_version", "terraform"));
        assertEquals("deadbee", tfc.var(wsId, "commit_sha", "terraform").value);
        assertTrue(r.out().contains("would create"), r.out());
        assertTrue(r.out().contains("would update"), r.out());
        assertTrue(r.out().contains("would queue a run"), r.out());
    }

    @Test
    void aRejectedTokenIsAOneLineUsageErrorWithoutTheToken() throws Exception {
        Map<String, String> env = env();
        env.put("TFC_TOKEN", "wrong-token-value-123456");
        Run r = sync(env);
        assertEquals(2, r.exit(), r.all());
        assertEquals("", r.out());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertTrue(r.err().contains("401") && r.err().contains("TFC_TOKEN"), r.err());
        assertFalse(r.all().contains("wrong-token-value-123456"), "token printed: " + r.all());
        assertEquals(1, tfc.requests.size(), "nothing after the 401");
    }

    @Test
    void anUnknownWorkspaceNamesWhatWasLookedUp() throws Exception {
        Map<String, String> env = env();
        env.put("TF_WORKSPACE", "n0d3-nowhere");
        Run r = sync(env);
        assertEquals(2, r.exit(), r.all());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertTrue(
                r.err().contains("workspace 'n0d3-nowhere' in organisation 'pr-cybr'")
                        && r.err().contains("404"),
                r.err());
        assertTrue(tfc.requests("POST").isEmpty());
    }

    @Test
    void rateLimitHonoursRetryAfterThenSucceeds() throws Exception {
        tfc.rateLimitNext = 2;
        tfc.retryAfter = "1";
        long t0 = System.nanoTime();
        Run r = sync(env());
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertEquals(0, r.exit(), r.all());
        assertTrue(ms >= 2000, "two Retry-After: 1 waits honoured, took " + ms + " ms");
        assertEquals(
                3,
                tfc.requests.stream()
                        .filter(x -> x.path().contains("/organizations/"))
                        .count(),
                "the lookup was retried twice");
        assertTrue(r.err().contains("rate limit (429): waiting 1 s"), r.err());
        assertEquals(SHA, tfc.var(wsId, "commit_sha", "terraform").value);
    }

    @Test
    void rateLimitRetryAfterAsAnHttpDate() throws Exception {
        tfc.rateLimitNext = 1;
        // Retry-After may also be an HTTP-date (RFC 9110, section 10.2.3); second precision, so 2 s ahead waits 1 to 2
        // s
        tfc.retryAfter = java.time.format.DateTimeFormatter.RFC_1123_DATE_TIME.format(
                java.time.ZonedDateTime.now(java.time.ZoneOffset.UTC).plusSeconds(2));
        long t0 = System.nanoTime();
        Run r = sync(env());
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertEquals(0, r.exit(), r.all());
        assertTrue(ms >= 900, "the date was honoured, took " + ms + " ms");
    }

    @Test
    void rateLimitRetriesAreBounded() throws Exception {
        tfc.rateLimitNext = 100;
        tfc.retryAfter = "0";
        Run r = sync(env());
        assertEquals(1, r.exit(), r.all());
        assertEquals(6, tfc.requests.size(), "1 try + 5 retries");
        assertTrue(r.err().contains("still rate limited (429) after 5 retries"), r.err());
    }

    @Test
    void anUnreachableApiIsAOneLineOperationalError() throws Exception {
        String url = tfc.url();
        tfc.close();
        Run r = sync(env());
        assertEquals(1, r.exit(), r.all());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertTrue(
                r.err()
                        .contains("TFC API: cannot look up workspace 'n0d3-stage' in organisation 'pr-cybr': " + url
                                + " unreachable (connection refused)"),
                r.err());
        assertFalse(r.all().contains(TOKEN));
    }

    @Test
    void tokenFromFileAndMissingToken() throws Exception {
        Path file = tmp.resolve("tfc-token");
        Files.writeString(file, TOKEN + "\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        Map<String, String> env = env();
        env.remove("TFC_TOKEN");
        env.put("TFC_TOKEN_FILE", file.toString());
        Run r = sync(env);
        assertEquals(0, r.exit(), r.all());
        assertEveryRequestAuthorised();

        env.remove("TFC_TOKEN_FILE");
        tfc.requests.clear();
        Run none = sync(env);
        assertEquals(2, none.exit());
        assertTrue(none.err().contains("no API token found; set TFC_TOKEN_FILE or TFC_TOKEN"), none.err());
        assertTrue(tfc.requests.isEmpty());
    }

    @Test
    void badInputFailsBeforeAnyRequest() throws Exception {
        Run sha = sync(env(), "--sha", "not-a-sha");
        assertEquals(2, sha.exit());
        assertTrue(sha.err().contains("--sha: expected 7 to 40 hexadecimal digits"), sha.err());

        Map<String, String> env = env();
        env.remove("TF_WORKSPACE");
        Run ws = sync(env);
        assertEquals(2, ws.exit());
        assertTrue(ws.err().contains("--workspace: required (or set TF_WORKSPACE)"), ws.err());

        Files.writeString(codex, "metadata:\n  version: one\n");
        Run version = sync(env());
        assertEquals(2, version.exit());
        assertTrue(version.err().contains("metadata.version"), version.err());
        assertTrue(tfc.requests.isEmpty(), tfc.requests.toString());
    }

    @Test
    void aSensitiveNamesakeIsRefusedUntouched() throws Exception {
        FakeTfc.Var secret = tfc.addVar(wsId, "environment", "hidden", "terraform", true);
        Run r = sync(env());
        assertEquals(3, r.exit(), r.all());
        assertTrue(r.err().contains("'environment'") && r.err().contains("sensitive"), r.err());
        assertTrue(tfc.requests("POST").isEmpty() && tfc.requests("PATCH").isEmpty());
        assertNotNull(secret.value);
    }
}
