package lib.telemetry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import lib.cli.Log;
import lib.json.Json;

/**
 * The disk spool: one {@link SpoolRecord} file per sample under {@code STATE_DIR/spool}, named by a sequence
 * number that orders them, written with {@link AtomicFile} before any send is tried. A torn write or a record
 * failing its length or CRC check is discarded with a warning; past its byte or age bound the oldest records
 * are dropped and counted ({@code dropped_total}); records go only by {@link #remove}, once acknowledged.
 * Callers hold the {@link RunLock}: the spool itself is not safe for concurrent writers.
 * See docs/decisions/telemetry-delivery.md.
 */
public final class Spool {
    public static final String DIR = "spool";
    static final String SUFFIX = ".rec";
    static final String COUNTERS = "counters.json";

    /** One spooled sample on disk. {@code seq} is its creation time in ms, bumped to stay increasing. */
    public record Entry(long seq, Path file, long size) implements Comparable<Entry> {
        @Override
        public int compareTo(Entry o) {
            return Long.compare(seq, o.seq);
        }
    }

    private final Path dir;
    private final long maxBytes;
    private final Duration maxAge;
    private final List<Entry> entries = new ArrayList<>();
    private long bytes;
    /** {@link #COUNTERS}, read once at open: the spool's owner (the lock holder) is its only writer. */
    private final ObjectNode counters;

    private Spool(Path stateDir, long maxBytes, Duration maxAge) throws IOException {
        dir = StateDir.createOwn(stateDir.resolve(DIR));
        this.maxBytes = maxBytes;
        this.maxAge = maxAge;
        counters = readCounters(dir);
        scan();
    }

    /** Opens (creating) the spool, deleting torn temporary files with a warning. */
    public static Spool open(Path stateDir, long maxBytes, Duration maxAge) throws IOException {
        return new Spool(stateDir, maxBytes, maxAge);
    }

    private void scan() throws IOException {
        entries.clear();
        bytes = 0;
        int torn = 0;
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
            for (Path p : ds) {
                String n = p.getFileName().toString();
                if (n.startsWith(AtomicFile.TMP_PREFIX)) {
                    Files.deleteIfExists(p);
                    if (n.contains(SUFFIX)) torn++;
                    continue;
                }
                if (!n.endsWith(SUFFIX)) continue;
                long seq;
                try {
                    seq = Long.parseLong(n.substring(0, n.length() - SUFFIX.length()));
                } catch (NumberFormatException e) {
                    continue;
                }
                long size;
                try {
                    size = Files.size(p);
                } catch (NoSuchFileException e) {
                    continue;
                }
                entries.add(new Entry(seq, p, size));
                bytes += size;
            }
        }
        entries.sort(null); // by seq (Entry's natural order: no comparator lambda to link on a timer run)
        if (torn > 0) {
            Log.warn(dir + ": discarded " + torn + " torn spool write" + (torn > 1 ? "s" : "")
                    + " left by an interrupted run");
            AtomicFile.syncDirectory(dir);
        }
    }

    public Path dir() {
        return dir;
    }

    /** Spooled records, oldest first. */
    public List<Entry> entries() {
        return List.copyOf(entries);
    }

    public int size() {
        return entries.size();
    }

    public long bytes() {
        return bytes;
    }

    /**
     * Writes one sample durably, then applies the bounds (which may drop the oldest records, never the
     * one just written unless it alone exceeds max bytes). Returns how many records were dropped.
     */
    public int append(byte[] payload, long nowMillis) throws IOException {
        long seq = Math.max(
                nowMillis,
                entries.isEmpty() ? 0 : entries.get(entries.size() - 1).seq() + 1);
        byte[] frame = SpoolRecord.encode(payload);
        String digits = Long.toString(seq); // %016d, without a Formatter (and its regex) on every timer run
        Path file = dir.resolve("0".repeat(Math.max(0, 16 - digits.length())) + digits + SUFFIX);
        AtomicFile.write(file, frame);
        entries.add(new Entry(seq, file, frame.length));
        bytes += frame.length;
        return enforceLimits(nowMillis);
    }

    /** Drops records older than max age and, oldest first, records beyond max bytes. */
    public int enforceLimits(long nowMillis) throws IOException {
        List<Entry> victims = new ArrayList<>();
        long remaining = bytes;
        int i = 0;
        long oldestAllowed = nowMillis - maxAge.toMillis();
        while (i < entries.size() - 1 && (entries.get(i).seq() < oldestAllowed || remaining > maxBytes)) {
            victims.add(entries.get(i));
            remaining -= entries.get(i).size();
            i++;
        }
        if (victims.isEmpty()) return 0;
        addCounter("dropped_total", victims.size());
        Log.warn("spool over its bounds (" + Math.max(0, bytes) + " bytes, max " + maxBytes + "; max age " + maxAge
                + "): dropped the " + victims.size() + " oldest sample" + (victims.size() > 1 ? "s" : ""));
        delete(victims);
        return victims.size();
    }

    /**
     * Reads and checks a record. A corrupt one is deleted with a warning and null is returned: it can
     * never be sent, and keeping it would block the records behind it.
     */
    public byte[] read(Entry e) throws IOException {
        byte[] frame;
        try {
            frame = Files.readAllBytes(e.file());
        } catch (NoSuchFileException ex) {
            forget(List.of(e));
            return null;
        }
        try {
            return SpoolRecord.decode(frame);
        } catch (SpoolRecord.CorruptRecordException ex) {
            Log.warn(e.file() + ": " + ex.getMessage() + "; discarded");
            addCounter("corrupt_total", 1);
            delete(List.of(e));
            return null;
        }
    }

    /** Removes acknowledged (or dead-lettered) records. */
    public void remove(Collection<Entry> done) throws IOException {
        delete(done);
    }

    private void delete(Collection<Entry> victims) throws IOException {
        for (Entry v : victims) Files.deleteIfExists(v.file());
        AtomicFile.syncDirectory(dir);
        forget(victims);
    }

    private void forget(Collection<Entry> gone) {
        for (Entry g : gone) { // by seq, unique in a spool (a record's equals is linked through invokedynamic)
            for (java.util.Iterator<Entry> it = entries.iterator(); it.hasNext(); ) {
                if (it.next().seq() == g.seq()) {
                    it.remove();
                    bytes -= g.size();
                    break;
                }
            }
        }
    }

    /** Lifetime counters kept with the spool: dropped_total, dead_lettered_total, corrupt_total. */
    public long counter(String name) {
        return counters.path(name).asLong(0);
    }

    public void addCounter(String name, long delta) throws IOException {
        counters.put(name, counters.path(name).asLong(0) + delta);
        AtomicFile.write(dir.resolve(COUNTERS), Json.bytes(counters));
    }

    /**
     * The file once, when the spool is opened, not on every sample: a daemon asked for three counters a
     * sample, each an open of a file that is absent until something is dropped (a NoSuchFileException with
     * its stack trace each time).
     */
    private static ObjectNode readCounters(Path dir) {
        Path f = dir.resolve(COUNTERS);
        try {
            JsonNode n = Json.parse(Files.readAllBytes(f));
            if (n instanceof ObjectNode o) return o;
        } catch (IOException e) {
            // none yet, or unreadable: start from zero
        }
        return Json.object();
    }
}
