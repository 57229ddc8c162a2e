package io.vigil.projections;

import java.io.ByteArrayOutputStream;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Base64;

/**
 * A position in the change topics: for every partition of every {@link ChangeTopics change topic},
 * the offset of the next record not yet seen. The set of changes "seen" up to a cursor is a prefix
 * of every partition, so a reader that resumes from it (on any projections instance, after any
 * restart) reads exactly the changes it has not seen. Written as the SSE event id: a version byte,
 * then per topic the partition count and each position as unsigned varints, base64url without
 * padding; a cursor from an older layout with fewer partitions reads the new ones from their start.
 *
 * <p>Mutable and not thread-safe: each owner guards its own; {@link #copy()} hands one over.
 */
public final class ChangeCursor {

    private static final int FORMAT = 1;

    /** {@code next[topic][partition]}: the offset after the last record seen, 0 for none. */
    private final long[][] next;

    private ChangeCursor(long[][] next) {
        this.next = next;
    }

    /** A cursor before every record. */
    public static ChangeCursor start() {
        long[][] next = new long[ChangeTopics.ALL.size()][];
        Arrays.fill(next, new long[0]);
        return new ChangeCursor(next);
    }

    public ChangeCursor copy() {
        long[][] copy = new long[next.length][];
        for (int t = 0; t < next.length; t++) {
            copy[t] = next[t].clone();
        }
        return new ChangeCursor(copy);
    }

    /** The offset of the next record to read in this partition. */
    public long next(int topic, int partition) {
        return partition < next[topic].length ? next[topic][partition] : 0;
    }

    /** Whether the record at {@code offset} lies beyond what this cursor has seen. */
    public boolean isAhead(int topic, int partition, long offset) {
        return offset >= next(topic, partition);
    }

    /** Whether this cursor is at or past {@code other} in every partition: a reader at it has nothing of {@code other}'s to read. */
    public boolean reaches(ChangeCursor other) {
        for (int t = 0; t < other.next.length; t++) {
            for (int p = 0; p < other.next[t].length; p++) {
                if (next(t, p) < other.next[t][p]) {
                    return false;
                }
            }
        }
        return true;
    }

    /** Marks the record at {@code offset}, and every earlier one of its partition, as seen. */
    public void advance(int topic, int partition, long offset) {
        if (partition >= next[topic].length) {
            next[topic] = Arrays.copyOf(next[topic], partition + 1);
        }
        next[topic][partition] = Math.max(next[topic][partition], offset + 1);
    }

    /** Moves every partition forward to where {@code other} is, where that is further. */
    public void advanceTo(ChangeCursor other) {
        for (int t = 0; t < other.next.length; t++) {
            for (int p = 0; p < other.next[t].length; p++) {
                if (other.next[t][p] > 0) {
                    advance(t, p, other.next[t][p] - 1);
                }
            }
        }
    }

    public String encode() {
        ByteArrayOutputStream out = new ByteArrayOutputStream(8 + 4 * next.length * 8);
        out.write(FORMAT);
        for (long[] positions : next) {
            writeVarint(out, positions.length);
            for (long position : positions) {
                writeVarint(out, position);
            }
        }
        return Base64.getUrlEncoder().withoutPadding().encodeToString(out.toByteArray());
    }

    /**
     * Reads a cursor that {@link #encode()} wrote.
     *
     * @throws IllegalArgumentException when it is not one
     */
    public static ChangeCursor decode(String text) {
        try {
            ByteBuffer in = ByteBuffer.wrap(Base64.getUrlDecoder().decode(text.strip()));
            if (in.get() != FORMAT) {
                throw new IllegalArgumentException("unknown cursor format");
            }
            long[][] next = new long[ChangeTopics.ALL.size()][];
            for (int t = 0; t < next.length; t++) {
                long count = readVarint(in);
                if (count > 100_000) {
                    throw new IllegalArgumentException("too many partitions");
                }
                next[t] = new long[(int) count];
                for (int p = 0; p < count; p++) {
                    next[t][p] = readVarint(in);
                }
            }
            if (in.hasRemaining()) {
                throw new IllegalArgumentException("trailing bytes");
            }
            return new ChangeCursor(next);
        } catch (BufferUnderflowException e) {
            throw new IllegalArgumentException("truncated cursor", e);
        }
    }

    private static void writeVarint(ByteArrayOutputStream out, long value) {
        while ((value & ~0x7FL) != 0) {
            out.write((int) ((value & 0x7F) | 0x80));
            value >>>= 7;
        }
        out.write((int) value);
    }

    private static long readVarint(ByteBuffer in) {
        long value = 0;
        for (int shift = 0; shift < 63; shift += 7) {
            byte b = in.get();
            value |= (long) (b & 0x7F) << shift;
            if ((b & 0x80) == 0) {
                return value;
            }
        }
        throw new IllegalArgumentException("varint too long");
    }

    @Override
    public String toString() {
        return encode();
    }
}
