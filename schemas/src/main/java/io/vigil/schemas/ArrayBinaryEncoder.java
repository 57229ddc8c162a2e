package io.vigil.schemas;

import java.util.Arrays;
import org.apache.avro.io.BinaryData;
import org.apache.avro.io.BinaryEncoder;

/**
 * Avro's binary encoding straight into a growing array, for {@link AvroSerde} to reuse per thread.
 * Avro's own encoders write through an {@code OutputStream} a few bytes per call (its message
 * encoder into a buffer that it then copies out again), which made encoding a large share of the
 * aggregator's CPU. The bytes are Avro's: every primitive is written with {@link BinaryData}, and
 * what {@link BinaryEncoder} builds on the primitives (strings, arrays, maps, unions) is its own.
 *
 * <p>Not thread-safe.
 */
final class ArrayBinaryEncoder extends BinaryEncoder {

    /** The longest a varint gets, and a float or double. */
    private static final int MAX_PRIMITIVE = 10;

    private byte[] buf;
    private int pos;

    ArrayBinaryEncoder(int capacity) {
        buf = new byte[capacity];
    }

    /** Forgets what was written; keeps the array. */
    void reset() {
        pos = 0;
    }

    /** What was written since the last {@link #reset}, as an array of its own. */
    byte[] toByteArray() {
        return Arrays.copyOf(buf, pos);
    }

    /** The size of the array it writes into. */
    int capacity() {
        return buf.length;
    }

    private void ensure(int bytes) {
        if (buf.length - pos < bytes) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, pos + bytes));
        }
    }

    @Override
    public void writeBoolean(boolean b) {
        ensure(1);
        buf[pos++] = (byte) (b ? 1 : 0);
    }

    @Override
    public void writeInt(int n) {
        ensure(MAX_PRIMITIVE);
        pos += BinaryData.encodeInt(n, buf, pos);
    }

    @Override
    public void writeLong(long n) {
        ensure(MAX_PRIMITIVE);
        pos += BinaryData.encodeLong(n, buf, pos);
    }

    @Override
    public void writeFloat(float f) {
        ensure(MAX_PRIMITIVE);
        pos += BinaryData.encodeFloat(f, buf, pos);
    }

    @Override
    public void writeDouble(double d) {
        ensure(MAX_PRIMITIVE);
        pos += BinaryData.encodeDouble(d, buf, pos);
    }

    @Override
    public void writeFixed(byte[] bytes, int start, int len) {
        ensure(len);
        System.arraycopy(bytes, start, buf, pos, len);
        pos += len;
    }

    /**
     * An ASCII string (mesh, dataplane and service names, addresses, reasons) is its own UTF-8:
     * written char by char without encoding it to a temporary array first; any other as Avro does.
     */
    @Override
    public void writeString(String string) throws java.io.IOException {
        int length = string.length();
        ensure(MAX_PRIMITIVE + length);
        int start = pos;
        pos += BinaryData.encodeInt(length, buf, pos);
        for (int i = 0; i < length; i++) {
            char c = string.charAt(i);
            if (c >= 0x80) {
                pos = start;
                super.writeString(string);
                return;
            }
            buf[pos++] = (byte) c;
        }
    }

    @Override
    protected void writeZero() {
        ensure(1);
        buf[pos++] = 0;
    }

    @Override
    public int bytesBuffered() {
        return 0;
    }

    @Override
    public void flush() {
        // Nothing to flush: the bytes are in the array.
    }
}
