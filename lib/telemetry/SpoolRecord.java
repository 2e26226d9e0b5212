package lib.telemetry;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;

/**
 * The on-disk frame of one spooled sample: {@code "N0D3SPL1"} magic, payload length (uint32, big
 * endian), CRC-32 of the payload (uint32), then the payload (UTF-8 JSON). A short file, a wrong magic,
 * a length that does not match, or a CRC that does not match is a torn or corrupt record.
 */
public final class SpoolRecord {
    static final byte[] MAGIC = "N0D3SPL1".getBytes(StandardCharsets.US_ASCII);
    public static final int HEADER = MAGIC.length + 8;

    private SpoolRecord() {}

    /** Thrown for a record that cannot be trusted; the message says why. */
    public static final class CorruptRecordException extends Exception {
        private static final long serialVersionUID = 1L;

        CorruptRecordException(String why) {
            super(why);
        }
    }

    public static byte[] encode(byte[] payload) {
        CRC32 crc = new CRC32();
        crc.update(payload);
        ByteBuffer b = ByteBuffer.allocate(HEADER + payload.length);
        b.put(MAGIC).putInt(payload.length).putInt((int) crc.getValue()).put(payload);
        return b.array();
    }

    public static byte[] decode(byte[] frame) throws CorruptRecordException {
        if (frame.length < HEADER)
            throw new CorruptRecordException(
                    "torn record: " + frame.length + " bytes, shorter than the " + HEADER + "-byte header");
        ByteBuffer b = ByteBuffer.wrap(frame);
        byte[] magic = new byte[MAGIC.length];
        b.get(magic);
        if (!java.util.Arrays.equals(magic, MAGIC)) throw new CorruptRecordException("not a spool record (bad magic)");
        long len = Integer.toUnsignedLong(b.getInt());
        long crcWant = Integer.toUnsignedLong(b.getInt());
        if (frame.length - HEADER != len) {
            throw new CorruptRecordException(
                    "torn record: header says " + len + " payload bytes, file has " + (frame.length - HEADER));
        }
        byte[] payload = new byte[(int) len];
        b.get(payload);
        CRC32 crc = new CRC32();
        crc.update(payload);
        if (crc.getValue() != crcWant) throw new CorruptRecordException("corrupt record: CRC mismatch");
        return payload;
    }
}
