package lib.telemetry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import lib.cli.Log;
import lib.json.Json;

/**
 * What one run leaves for the next, in {@code STATE_DIR/state.json} (written atomically): the CPU
 * ticks, interface counters and per-container CPU usage of the last sample (to compute rates without
 * sleeping), the send back-off, and the spool's lifetime counters (dropped, dead-lettered). A missing
 * or unreadable file is a first run, with a warning in the second case.
 */
public final class TelemetryState {
    public static final String FILE = "state.json";

    private final Path file;
    private ObjectNode root;

    private TelemetryState(Path file, ObjectNode root) {
        this.file = file;
        this.root = root;
    }

    /** What earlier versions kept in the state dir and nothing reads any more: {@code jna/} (JNA's native library, copied there before host metrics stopped loading JNA). */
    static final List<String> OBSOLETE = List.of("jna");

    /**
     * Removes {@link #OBSOLETE} entries from the state dir; called with the run lock held. Best effort:
     * a failure is logged with --verbose and the run goes on.
     */
    public static void removeObsolete(Path stateDir) {
        for (String name : OBSOLETE) {
            Path p = stateDir.resolve(name);
            if (!Files.isDirectory(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) continue;
            try (java.util.stream.Stream<Path> walk = Files.walk(p)) {
                for (Path f : walk.sorted(java.util.Comparator.reverseOrder()).toList()) Files.delete(f);
                Log.debug("removed " + p + " (left by an earlier version)");
            } catch (IOException | RuntimeException e) {
                Log.debug("could not remove " + p + ": " + e.getMessage());
            }
        }
    }

    public static TelemetryState load(Path stateDir) {
        Path f = stateDir.resolve(FILE);
        try {
            JsonNode n = Json.parse(Files.readAllBytes(f));
            if (n instanceof ObjectNode o) return new TelemetryState(f, o);
            Log.warn(f + ": not a JSON object; starting from a fresh state");
        } catch (NoSuchFileException e) {
            // first run
        } catch (IOException e) {
            Log.warn(f + ": unreadable (" + e.getMessage() + "); starting from a fresh state");
        }
        return new TelemetryState(f, Json.object());
    }

    /** An empty state that is never saved (read-only runs). */
    public static TelemetryState empty() {
        return new TelemetryState(null, Json.object());
    }

    public void save() throws IOException {
        if (file == null) return;
        AtomicFile.write(file, Json.bytes(root));
    }

    public ObjectNode root() {
        return root;
    }

    /** The object at {@code key}, created when missing. */
    public ObjectNode section(String key) {
        JsonNode n = root.get(key);
        if (n instanceof ObjectNode o) return o;
        return root.putObject(key);
    }

    public long counter(String key) {
        return section("counters").path(key).asLong(0);
    }

    public void addCounter(String key, long delta) {
        section("counters").put(key, counter(key) + delta);
    }
}
