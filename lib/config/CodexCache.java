package lib.config;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.net.URI;
import java.net.URL;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;
import lib.cli.Version;

/**
 * The bound {@link Codex} of an earlier run, kept in a file so that a command started often (telemetry on a
 * timer) skips YAML parsing, schema validation and binding when its configuration has not changed. Written
 * only after the full path succeeded. Key: the exact bytes of the operator's file, the embedded codex.yaml and
 * the schema, plus the build ({@link Version#VERSION}, size and time of the jar or class files); the environment
 * is not in it ({@link Settings} applies it at use). Value: the records component by component, then a CRC32.
 * Anything unreadable or different is a miss, never an error; writing is best effort (0600 temp file, rename).
 * Why this key and format, with figures: docs/decisions/telemetry-cost.md.
 */
final class CodexCache {
    private static final byte[] MAGIC = "n0d3 codex cache 1\n".getBytes(StandardCharsets.US_ASCII);
    private static final String[] CODE = {"Codex.class", "CodexLoader.class", "Units.class", "Settings.class"};

    /** What a bound codex depends on; {@code operator} is null when running on the embedded default. */
    record Inputs(byte[] operator, byte[] embedded, byte[] schema, String build) {
        static Inputs of(byte[] operator) {
            return new Inputs(
                    operator, Resources.bytes("codex.yaml"), Resources.bytes(CodexLoader.CODEX_SCHEMA), buildId());
        }
    }

    private CodexCache() {}

    /** The cached codex for exactly these inputs, or null. */
    static Codex read(Path cache, Inputs in) {
        try {
            if (in.build() == null) return null;
            byte[] all = Files.readAllBytes(cache);
            int end = all.length - Long.BYTES;
            if (end < 0
                    || crc(all, end) != ByteBuffer.wrap(all, end, Long.BYTES).getLong()) return null;
            DataInputStream data = new DataInputStream(new ByteArrayInputStream(all, 0, end));
            if (!Arrays.equals(data.readNBytes(MAGIC.length), MAGIC)
                    || !data.readUTF().equals(in.build())) return null;
            for (byte[] expected : new byte[][] {in.schema(), in.embedded(), in.operator()}) {
                int n = data.readInt();
                if (expected == null ? n != -1 : n != expected.length || !Arrays.equals(data.readNBytes(n), expected))
                    return null;
            }
            Object codex = value(data, Codex.class);
            return data.read() == -1 ? (Codex) codex : null;
        } catch (IOException | ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }

    /** Best effort: a cache that cannot be written only means the next run takes the full path. */
    static void write(Path cache, Inputs in, Codex codex) {
        if (in.build() == null) return;
        Path tmp = null;
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            DataOutputStream data = new DataOutputStream(bytes);
            data.write(MAGIC);
            data.writeUTF(in.build());
            for (byte[] b : new byte[][] {in.schema(), in.embedded(), in.operator()}) {
                data.writeInt(b == null ? -1 : b.length);
                if (b != null) data.write(b);
            }
            write(data, codex, Codex.class);
            data.writeLong(crc(bytes.toByteArray(), bytes.size()));
            Path dir = cache.toAbsolutePath().getParent();
            Files.createDirectories(dir);
            tmp = Files.createTempFile(
                    dir,
                    cache.getFileName() + ".",
                    ".tmp",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.write(tmp, bytes.toByteArray());
            Files.move(tmp, cache, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException | ReflectiveOperationException | RuntimeException e) {
            try {
                if (tmp != null) Files.deleteIfExists(tmp);
            } catch (IOException | RuntimeException ignored) {
                // nothing more to do for a cache
            }
        }
    }

    /*
     * The value codec: type-directed by the record components, so the file names no classes and
     * reading can only build codex records. Kinds: records, String, Boolean, Integer, Long, Double,
     * Duration, List and Map with String keys (ArrayList and LinkedHashMap, as Jackson builds them).
     */
    private static void write(DataOutputStream out, Object v, Type type)
            throws IOException, ReflectiveOperationException {
        out.writeBoolean(v != null);
        if (v == null) return;
        Class<?> c = raw(type);
        if (c.isRecord()) {
            for (RecordComponent rc : c.getRecordComponents())
                write(out, rc.getAccessor().invoke(v), rc.getGenericType());
        } else if (c == String.class) {
            byte[] b = ((String) v).getBytes(StandardCharsets.UTF_8);
            out.writeInt(b.length);
            out.write(b);
        } else if (c == Boolean.class) {
            out.writeBoolean((Boolean) v);
        } else if (c == Integer.class) {
            out.writeInt((Integer) v);
        } else if (c == Long.class) {
            out.writeLong((Long) v);
        } else if (c == Double.class) {
            out.writeDouble((Double) v);
        } else if (c == Duration.class) {
            out.writeLong(((Duration) v).toSeconds());
            out.writeInt(((Duration) v).toNanosPart());
        } else if (c == List.class) {
            out.writeInt(((List<?>) v).size());
            for (Object e : (List<?>) v) write(out, e, arg(type, 0));
        } else if (c == Map.class && arg(type, 0) == String.class) {
            out.writeInt(((Map<?, ?>) v).size());
            for (Map.Entry<?, ?> e : ((Map<?, ?>) v).entrySet()) {
                write(out, e.getKey(), String.class);
                write(out, e.getValue(), arg(type, 1));
            }
        } else {
            throw new IllegalArgumentException("no cache form for " + type);
        }
    }

    private static Object value(DataInputStream in, Type type) throws IOException, ReflectiveOperationException {
        if (!in.readBoolean()) return null;
        Class<?> c = raw(type);
        if (c.isRecord()) {
            RecordComponent[] rcs = c.getRecordComponents();
            Class<?>[] types = new Class<?>[rcs.length];
            Object[] args = new Object[rcs.length];
            for (int i = 0; i < rcs.length; i++) {
                types[i] = rcs[i].getType();
                args[i] = value(in, rcs[i].getGenericType());
            }
            return c.getDeclaredConstructor(types).newInstance(args);
        }
        if (c == String.class) return new String(in.readNBytes(in.readInt()), StandardCharsets.UTF_8);
        if (c == Boolean.class) return in.readBoolean();
        if (c == Integer.class) return in.readInt();
        if (c == Long.class) return in.readLong();
        if (c == Double.class) return in.readDouble();
        if (c == Duration.class) return Duration.ofSeconds(in.readLong(), in.readInt());
        int n = in.readInt();
        if (n < 0 || n > in.available()) throw new IOException("bad size " + n);
        if (c == List.class) {
            List<Object> list = new ArrayList<>(n);
            for (int i = 0; i < n; i++) list.add(value(in, arg(type, 0)));
            return list;
        }
        if (c == Map.class) {
            Map<Object, Object> map = new LinkedHashMap<>();
            for (int i = 0; i < n; i++) map.put(value(in, String.class), value(in, arg(type, 1)));
            return map;
        }
        throw new IOException("no cache form for " + type);
    }

    private static long crc(byte[] b, int length) {
        CRC32 crc = new CRC32();
        crc.update(b, 0, length);
        return crc.getValue();
    }

    private static Class<?> raw(Type t) {
        return t instanceof ParameterizedType p ? (Class<?>) p.getRawType() : (Class<?>) t;
    }

    private static Type arg(Type t, int i) {
        return ((ParameterizedType) t).getActualTypeArguments()[i];
    }

    /** The version, and the size and time of the jar or class files holding the binding code; null when unknown. */
    static String buildId() {
        StringBuilder sb = new StringBuilder(Version.VERSION);
        for (String name : CODE) {
            URL u = CodexCache.class.getResource(name);
            if (u == null) return null;
            String where = u.toString();
            if (where.startsWith("jar:")) where = where.substring(4, where.indexOf("!/"));
            try {
                Path p = Path.of(URI.create(where));
                sb.append('|')
                        .append(p)
                        .append(' ')
                        .append(Files.size(p))
                        .append(' ')
                        .append(Files.getLastModifiedTime(p).toMillis());
            } catch (IOException | RuntimeException e) {
                return null; // not a file we can stat: never trust a cache
            }
        }
        return sb.toString();
    }
}
