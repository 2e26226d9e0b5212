package lib.swarm;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import lib.cli.Log;

/**
 * "This node left its swarm on purpose": written by --leave, removed by a successful join, read by
 * --watch so that the health loop does not undo a deliberate leave.
 */
public record LeftMarker(Path stateDir) {
    public static final Path DEFAULT_DIR = Path.of("/var/lib/pr-cybr/swarm");

    public Path file() {
        return stateDir.resolve("left");
    }

    public boolean present() {
        return Files.isRegularFile(file());
    }

    public void write(String why) {
        try {
            Files.createDirectories(stateDir);
            Files.writeString(file(), Instant.now() + " " + why + "\n", StandardCharsets.UTF_8);
        } catch (IOException e) {
            Log.warn("cannot record the deliberate leave in " + file() + ": " + e.getMessage()
                    + " (a running --watch would rejoin)");
        }
    }

    public void clear() {
        try {
            Files.deleteIfExists(file());
        } catch (IOException e) {
            Log.warn("cannot remove " + file() + ": " + e.getMessage());
        }
    }
}
