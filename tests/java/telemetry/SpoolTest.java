package telemetry;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import lib.cli.Log;
import lib.telemetry.AtomicFile;
import lib.telemetry.Spool;
import lib.telemetry.SpoolRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SpoolTest {
    @TempDir
    Path state;

    final ByteArrayOutputStream err = new ByteArrayOutputStream();

    static byte[] sample(int i) {
        return ("{\"n\":" + i + "}").getBytes(StandardCharsets.UTF_8);
    }

    void captureWarnings() {
        Log.redirect(new PrintStream(new ByteArrayOutputStream()), new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void resetLog() {
        Log.reset();
    }

    @Test
    void recordsRoundTripAndCorruptionIsDetected() throws Exception {
        byte[] frame = SpoolRecord.encode(sample(7));
        assertArrayEquals(sample(7), SpoolRecord.decode(frame));
        assertThrows(
                SpoolRecord.CorruptRecordException.class,
                () -> SpoolRecord.decode(Arrays.copyOf(frame, frame.length - 1)),
                "torn tail");
        assertThrows(
                SpoolRecord.CorruptRecordException.class,
                () -> SpoolRecord.decode(Arrays.copyOf(frame, 5)),
                "torn header");
        byte[] flipped = frame.clone();
        flipped[flipped.length - 2] ^= 0x01;
        assertThrows(SpoolRecord.CorruptRecordException.class, () -> SpoolRecord.decode(flipped), "bit flip");
    }

    @Test
    void appendsAreDurableFilesReadBackInOrder() throws Exception {
        Spool s = Spool.open(state, 1 << 20, Duration.ofDays(7));
        long t = 1_700_000_000_000L;
        for (int i = 0; i < 5; i++) s.append(sample(i), t); // same clock: sequence still increases
        Spool again = Spool.open(state, 1 << 20, Duration.ofDays(7));
        List<Spool.Entry> e = again.entries();
        assertEquals(5, e.size());
        for (int i = 0; i < 5; i++) assertArrayEquals(sample(i), again.read(e.get(i)));
        assertEquals(
                "rw-------",
                PosixFilePermissions.toString(
                        Files.getPosixFilePermissions(e.get(0).file())),
                "spool files are private");
        again.remove(e.subList(0, 2));
        assertEquals(3, Spool.open(state, 1 << 20, Duration.ofDays(7)).size());
    }

    @Test
    void aTornWriteLeftByAKilledRunIsDiscardedWithAWarning() throws Exception {
        Spool s = Spool.open(state, 1 << 20, Duration.ofDays(7));
        s.append(sample(1), 1000);
        Path dir = state.resolve(Spool.DIR);
        Files.write(
                dir.resolve(AtomicFile.TMP_PREFIX + "0000000000002000.rec-123-456"),
                Arrays.copyOf(SpoolRecord.encode(sample(2)), 9));
        captureWarnings();
        Spool reopened = Spool.open(state, 1 << 20, Duration.ofDays(7));
        assertEquals(1, reopened.size());
        assertTrue(
                err.toString(StandardCharsets.UTF_8).contains("discarded 1 torn spool write"),
                err.toString(StandardCharsets.UTF_8));
        try (var files = Files.list(dir)) {
            assertTrue(files.noneMatch(p -> p.getFileName().toString().startsWith(AtomicFile.TMP_PREFIX)));
        }
    }

    @Test
    void aRecordFailingItsCheckIsDiscardedAndTheOthersStillRead() throws Exception {
        Spool s = Spool.open(state, 1 << 20, Duration.ofDays(7));
        for (int i = 0; i < 3; i++) s.append(sample(i), 1000 + i);
        Path middle = s.entries().get(1).file();
        byte[] b = Files.readAllBytes(middle);
        Files.write(middle, Arrays.copyOf(b, b.length - 3)); // a torn tail
        captureWarnings();
        Spool r = Spool.open(state, 1 << 20, Duration.ofDays(7));
        List<Spool.Entry> e = r.entries();
        assertArrayEquals(sample(0), r.read(e.get(0)));
        assertNull(r.read(e.get(1)));
        assertArrayEquals(sample(2), r.read(e.get(2)));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("torn record"), err.toString(StandardCharsets.UTF_8));
        assertEquals(2, r.size());
        assertFalse(Files.exists(middle));
        assertEquals(1, r.counter("corrupt_total"));
    }

    @Test
    void overTheByteBoundTheOldestAreDroppedAndCounted() throws Exception {
        int frame = SpoolRecord.encode(sample(0)).length;
        Spool s = Spool.open(state, 3L * frame, Duration.ofDays(7));
        captureWarnings();
        int dropped = 0;
        for (int i = 0; i < 5; i++) dropped += s.append(sample(i), 1000 + i);
        assertEquals(2, dropped);
        assertEquals(3, s.size());
        assertArrayEquals(sample(2), s.read(s.entries().get(0)), "the oldest went first");
        assertEquals(
                2,
                Spool.open(state, 3L * frame, Duration.ofDays(7)).counter("dropped_total"),
                "the count survives the run");
        assertTrue(
                err.toString(StandardCharsets.UTF_8).contains("dropped the 1 oldest sample"),
                err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void olderThanTheAgeBoundIsDroppedButNeverTheNewest() throws Exception {
        Spool s = Spool.open(state, 1 << 20, Duration.ofHours(1));
        captureWarnings();
        long now = 10_000_000_000L;
        s.append(sample(0), now - Duration.ofHours(3).toMillis());
        s.append(sample(1), now - Duration.ofHours(2).toMillis());
        assertEquals(2, s.append(sample(2), now));
        assertEquals(1, s.size());
        assertEquals(2, s.counter("dropped_total"));
        Spool lone = Spool.open(state.resolve("other"), 1, Duration.ofHours(1));
        assertEquals(0, lone.append(sample(9), now), "a single record bigger than the bound is still kept");
        assertEquals(1, lone.size());
    }
}
