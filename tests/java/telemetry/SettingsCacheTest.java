package telemetry;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import lib.cli.N0d3Exception;
import lib.config.Settings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The cache telemetry uses to skip codex.yaml's parsing, validation and binding on a timer (lib.config.CodexCache). */
class SettingsCacheTest {
    @TempDir
    Path dir;

    @Test
    void aValidFileIsRememberedAndAChangedOneIsValidatedAgain() throws Exception {
        Path codex = dir.resolve("codex.yaml");
        Path cache = dir.resolve("state/codex.validated");
        Files.writeString(codex, "capabilities:\n  telemetry:\n    batch_size: 5\n");
        Settings s = Settings.load(codex, Map.of(), cache);
        assertEquals(5, s.codex().capabilities().telemetry().batchSize());
        assertTrue(Files.size(cache) > 0, "the bound result of what was validated");
        byte[] remembered = Files.readAllBytes(cache);
        assertEquals(
                5,
                Settings.load(codex, Map.of(), cache)
                        .codex()
                        .capabilities()
                        .telemetry()
                        .batchSize());

        Files.writeString(
                codex, "capabilities:\n  telemetry:\n    batch_size: 0\n"); // minimum 1: only the schema knows
        N0d3Exception e = assertThrows(N0d3Exception.class, () -> Settings.load(codex, Map.of(), cache));
        assertEquals(2, e.exitCode());
        assertTrue(e.getMessage().contains("capabilities.telemetry.batch_size"), e.getMessage());
        assertArrayEquals(remembered, Files.readAllBytes(cache), "an invalid file is never remembered");
    }

    @Test
    void anUnwritableCacheIsOnlyACache() throws Exception {
        Path codex = dir.resolve("codex.yaml");
        Files.writeString(codex, "metadata:\n  node_name: n1\n");
        Path cache = dir.resolve("file-not-dir");
        Files.writeString(cache, "x");
        assertEquals(
                "n1",
                Settings.load(codex, Map.of(), cache.resolve("codex.validated")).nodeName());
        assertFalse(Files.isDirectory(cache));
    }
}
