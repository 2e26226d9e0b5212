package telemetry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import lib.telemetry.Spool;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * kill -9 at random moments of real timer-mode runs, while they collect, write the spool and send it
 * (a slow loopback management node and a growing backlog keep sends in flight), at least 50 times.
 * After every kill the spool must open and every record must pass its length and CRC check; at the
 * end, once the management node answers, every sample whose write had completed (seen in the spool
 * after a kill, or printed by its run, which prints only after the spool write) must have arrived.
 */
class KillLoopTest {
    static final int KILLS = 50;

    @TempDir
    Path work;

    @Test
    void fiftyKillsDuringWritesAndSendsLoseNoCompletedSample() throws Exception {
        Path state = work.resolve("state");
        Path codex = work.resolve("codex.yaml");
        Files.writeString(codex, Agents.codex("backoff: {initial: 0s, max: 0s}\nsend_budget: 20s\n"));
        Set<String> completed = new LinkedHashSet<>();
        Random rnd = new Random(4242);
        try (MgmtReceiver mgmt = new MgmtReceiver()) {
            Map<String, String> env = new HashMap<>(Agents.env(mgmt, "kill-loop-token-1"));
            String[] args = {
                "--once", "--output", "mgmt,-", "--config", codex.toString(), "--state-dir", state.toString()
            };

            // two calm runs: the first reads codex.yaml in full, later ones hit its cache and are much quicker,
            // so the kill delays are drawn around the second run's time, then follow the runs that finish
            long runMillis = 0;
            for (int calmRun = 0; calmRun < 2; calmRun++) {
                long t0 = System.nanoTime();
                Cli.Result calm = Cli.run(work, env, args);
                runMillis = (System.nanoTime() - t0) / 1_000_000;
                assertEquals(0, calm.exit(), calm.stderr());
                completed.add(PayloadSchema.parse(calm.stdout().get(0))
                        .path("sample_id")
                        .asText());
            }

            int kills = 0;
            int iterations = 0;
            int torn = 0;
            while (kills < KILLS && iterations < KILLS * 4) {
                iterations++;
                // phases: outage (kills land in collection and spool writes), then a slow receiver (in sends)
                boolean outage = (iterations / 8) % 2 == 0;
                mgmt.status = outage ? 503 : 201;
                mgmt.delayMillis = outage ? 0 : 60;
                Path out = work.resolve("out-" + iterations + ".txt");
                Path err = work.resolve("err-" + iterations + ".txt");
                long started = System.nanoTime();
                Process p = Cli.builder(env, out, err, args).start();
                long delay = (long) (runMillis * (0.35 + 0.9 * rnd.nextDouble()));
                boolean exited = p.waitFor(delay, TimeUnit.MILLISECONDS);
                if (exited) {
                    runMillis = (runMillis + (System.nanoTime() - started) / 1_000_000) / 2; // load changes: follow it
                } else {
                    p.destroyForcibly(); // SIGKILL
                    p.waitFor(30, TimeUnit.SECONDS);
                    kills++;
                }
                for (String line : Cli.lines(out)) {
                    if (line.startsWith("{") && line.endsWith("}"))
                        completed.add(
                                PayloadSchema.parse(line).path("sample_id").asText());
                }
                // what the next run sees: every record readable, torn temporaries only
                try (var files = Files.list(state.resolve(Spool.DIR))) {
                    torn += (int) files.filter(f -> f.getFileName().toString().startsWith(".tmp-")
                                    && f.toString().contains(".rec"))
                            .count();
                }
                Spool spool = Spool.open(state, 16 << 20, Duration.ofDays(7));
                for (Spool.Entry e : spool.entries()) {
                    byte[] rec = spool.read(e);
                    assertNotNull(rec, "after kill " + kills + ": " + e.file() + " is corrupt");
                    var sample = PayloadSchema.parse(new String(rec, StandardCharsets.UTF_8));
                    PayloadSchema.assertValid(sample);
                    completed.add(sample.path("sample_id").asText());
                }
                assertEquals(0, spool.counter("corrupt_total"), "no record ever failed its check");
            }
            assertTrue(
                    kills >= KILLS,
                    "only " + kills + " kills in " + iterations + " runs (a run takes ~" + runMillis + " ms)");

            mgmt.status = 201;
            mgmt.delayMillis = 0;
            for (int i = 0;
                    i < 5 && Spool.open(state, 16 << 20, Duration.ofDays(7)).size() > 0;
                    i++) {
                Cli.Result r = Cli.run(work, env, args);
                completed.add(
                        PayloadSchema.parse(r.stdout().get(0)).path("sample_id").asText());
            }
            assertEquals(0, Spool.open(state, 16 << 20, Duration.ofDays(7)).size(), "the spool drained");
            Set<String> arrived = new LinkedHashSet<>(mgmt.accepted());
            Set<String> missing = new LinkedHashSet<>(completed);
            missing.removeAll(arrived);
            assertEquals(Set.of(), missing, "completed samples that never arrived (of " + completed.size() + ")");
            System.err.println("kill loop: " + kills + " kills in " + iterations + " runs, " + completed.size()
                    + " completed samples, "
                    + arrived.size() + " distinct delivered, " + mgmt.accepted().size()
                    + " deliveries (duplicates are at-least-once), "
                    + torn + " torn writes discarded");
        }
    }
}
