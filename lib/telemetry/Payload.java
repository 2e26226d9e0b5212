package lib.telemetry;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.FileInputStream;
import java.io.IOException;
import java.time.Instant;
import java.util.UUID;
import lib.cli.Version;

/**
 * One telemetry sample as sent to {@code POST {mgmt}/api/telemetry}: the original project's fields
 * ({@code node_id}, {@code timestamp} ISO-8601 UTC, {@code hostname}, {@code architecture},
 * {@code metrics.cpu/memory/disk/network/docker} with the original script's keys inside) plus
 * {@code schema_version} and {@code sample_id}, a random UUID that is the idempotency key receivers
 * deduplicate on. The contract is {@code schemas/telemetry-payload.schema.json}.
 */
public final class Payload {
    public static final int SCHEMA_VERSION = 1;
    public static final String SCHEMA = "schemas/telemetry-payload.schema.json";

    private Payload() {}

    public static ObjectNode build(
            String nodeId, Instant time, HostCollector.Result host, ObjectNode docker, ObjectNode telemetry) {
        ObjectNode p = JsonNodeFactory.instance.objectNode();
        p.put("schema_version", SCHEMA_VERSION);
        p.put("sample_id", randomUuid());
        p.put("node_id", nodeId);
        p.put("timestamp", isoMillis(time.toEpochMilli()));
        p.put("hostname", host.hostname());
        p.put("architecture", host.architecture());
        p.put("machine", host.machine());
        p.put("uptime_seconds", host.uptimeSeconds());
        ObjectNode agent = p.putObject("agent");
        agent.put("name", "pr-cybr-n0d3-telemetry");
        agent.put("version", Version.VERSION);
        ObjectNode m = p.putObject("metrics");
        m.set("cpu", host.cpu());
        m.set("memory", host.memory());
        m.set("disk", host.disk());
        m.set("network", host.network());
        m.set("docker", docker);
        m.set("telemetry", telemetry);
        return p;
    }

    /**
     * What the agent's configuration says, for alerting on the node's own terms: its sampling interval
     * (staleness is a number of intervals) and whether the node should be an active swarm member
     * (capabilities.swarm.enabled and no deliberate {@code swarm-join --leave}).
     */
    public static void agentSettings(ObjectNode payload, java.time.Duration interval, boolean swarmExpected) {
        ObjectNode agent = (ObjectNode) payload.get("agent");
        agent.put("interval_seconds", interval.toMillis() / 1000.0);
        agent.put("swarm_expected", swarmExpected);
    }

    /**
     * A random (version 4) UUID, as {@link UUID#randomUUID()} makes it, from 16 bytes of the kernel's random source
     * (/dev/urandom, which the JDK's default {@code SecureRandom} reads on Linux too): without setting up the JDK's
     * security providers and a SecureRandom, some 50 classes and a few percent of a timer run. Anything wrong with
     * /dev/urandom and it is {@code UUID.randomUUID()}.
     */
    static String randomUuid() {
        byte[] b = new byte[16];
        try (FileInputStream in = new FileInputStream("/dev/urandom")) {
            if (in.readNBytes(b, 0, 16) != 16) return UUID.randomUUID().toString();
        } catch (IOException | SecurityException e) {
            return UUID.randomUUID().toString();
        }
        b[6] = (byte) ((b[6] & 0x0f) | 0x40); // version 4
        b[8] = (byte) ((b[8] & 0x3f) | 0x80); // IETF variant
        long msb = 0;
        long lsb = 0;
        for (int i = 0; i < 8; i++) msb = msb << 8 | (b[i] & 0xff);
        for (int i = 8; i < 16; i++) lsb = lsb << 8 | (b[i] & 0xff);
        return new UUID(msb, lsb).toString();
    }

    /**
     * {@code Instant.ofEpochMilli(ms).toString()} (ISO-8601 UTC, {@code 2025-10-26T20:00:00.123Z}, no fraction when
     * the milliseconds are 0) written by hand for the years 0 to 9999: {@code Instant.toString()} goes through
     * {@code DateTimeFormatter}, some 45 classes of java.time.format and java.time.temporal set up on every timer run.
     */
    static String isoMillis(long ms) {
        long secs = Math.floorDiv(ms, 1000L);
        int milli = (int) Math.floorMod(ms, 1000L);
        long days = Math.floorDiv(secs, 86_400L);
        int sod = (int) Math.floorMod(secs, 86_400L);
        // the proleptic Gregorian date of a day number (H. Hinnant's days_from_civil, inverted)
        long z = days + 719_468;
        long era = Math.floorDiv(z, 146_097L);
        long doe = z - era * 146_097;
        long yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        long mp = (5 * doy + 2) / 153;
        int day = (int) (doy - (153 * mp + 2) / 5 + 1);
        int month = (int) (mp < 10 ? mp + 3 : mp - 9);
        long year = yoe + era * 400 + (month <= 2 ? 1 : 0);
        if (year < 0 || year > 9999) return Instant.ofEpochMilli(ms).toString();
        StringBuilder sb = new StringBuilder(24);
        digits(sb, (int) year, 4).append('-');
        digits(sb, month, 2).append('-');
        digits(sb, day, 2).append('T');
        digits(sb, sod / 3600, 2).append(':');
        digits(sb, sod / 60 % 60, 2).append(':');
        digits(sb, sod % 60, 2);
        if (milli != 0) digits(sb.append('.'), milli, 3);
        return sb.append('Z').toString();
    }

    /**
     * The epoch milliseconds of a {@link #isoMillis} text, as {@code Instant.parse(text).toEpochMilli()}: read by hand
     * when the text is exactly what isoMillis writes for the value read (so both agree), else by Instant.parse.
     */
    static long epochMillis(String iso) {
        int n = iso.length();
        if ((n == 20 || n == 24) && iso.charAt(n - 1) == 'Z') {
            long year = number(iso, 0, 4);
            long month = number(iso, 5, 2);
            long day = number(iso, 8, 2);
            long time = number(iso, 11, 2) * 3600 + number(iso, 14, 2) * 60 + number(iso, 17, 2);
            long milli = n == 24 ? number(iso, 20, 3) : 0;
            if (year >= 0 && month >= 1 && month <= 12 && day >= 1 && time >= 0 && milli >= 0) {
                // days_from_civil
                long y = year - (month <= 2 ? 1 : 0);
                long era = Math.floorDiv(y, 400L);
                long yoe = y - era * 400;
                long doy = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1;
                long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
                long ms = ((era * 146_097 + doe - 719_468) * 86_400 + time) * 1000 + milli;
                if (iso.equals(isoMillis(ms))) return ms;
            }
        }
        return Instant.parse(iso).toEpochMilli();
    }

    private static long number(String s, int from, int len) {
        long v = 0;
        for (int i = from; i < from + len; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') return -1;
            v = v * 10 + (c - '0');
        }
        return v;
    }

    private static StringBuilder digits(StringBuilder sb, int v, int width) {
        String s = Integer.toString(v);
        for (int i = s.length(); i < width; i++) sb.append('0');
        return sb.append(s);
    }

    /** Sets {@code keys[i]} to {@code values[i]}, in order (the payload's key order is its text's). */
    static ObjectNode put(ObjectNode o, String[] keys, long... values) {
        for (int i = 0; i < keys.length; i++) o.put(keys[i], values[i]);
        return o;
    }

    /** {@link #put(ObjectNode, String[], long...)} for int figures (kept as JSON ints, as before). */
    static ObjectNode put(ObjectNode o, String[] keys, int... values) {
        for (int i = 0; i < keys.length; i++) o.put(keys[i], values[i]);
        return o;
    }

    /** The original script's default node id: node-HOSTNAME (NODE_ID overrides, as it did). */
    public static String nodeId(java.util.Map<String, String> env, String nodeName) {
        String v = env.get("NODE_ID");
        if (v != null && !v.isBlank()) return v.strip();
        return "node-" + nodeName;
    }
}
