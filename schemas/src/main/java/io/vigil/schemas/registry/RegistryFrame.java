package io.vigil.schemas.registry;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * The two headers an Avro binary body travels with, and the rewrite between them. Avro's
 * single-object encoding is {@code C3 01} and the writer schema's 8-byte CRC-64-AVRO fingerprint
 * (little-endian); the schema registry wire format (Confluent's, which Apicurio reads with its
 * default 4-byte id handler) is {@code 00} and the 4-byte big-endian schema id the registry gave.
 * The body is the same, so either header can replace the other. Stateless.
 */
public final class RegistryFrame {

    /** The first byte of a registry-framed value; a single-object value starts with {@code C3}. */
    public static final byte MAGIC = 0x00;

    private static final int REGISTRY_HEADER = 1 + Integer.BYTES;
    private static final int SINGLE_OBJECT_HEADER = 2 + Long.BYTES;
    private static final byte[] SINGLE_OBJECT_MARKER = {(byte) 0xC3, 0x01};

    private RegistryFrame() {
    }

    /** Whether {@code value} starts with the registry header (else it is taken as single-object encoded). */
    public static boolean isRegistryFramed(byte[] value) {
        return value.length >= REGISTRY_HEADER && value[0] == MAGIC;
    }

    /** The schema id of a registry-framed value. */
    public static int schemaId(byte[] value) {
        return ByteBuffer.wrap(value, 1, Integer.BYTES).order(ByteOrder.BIG_ENDIAN).getInt();
    }

    /**
     * The writer schema's fingerprint in a single-object header.
     *
     * @throws IllegalArgumentException when {@code value} has no single-object header
     */
    public static long fingerprint(byte[] value) {
        if (value.length < SINGLE_OBJECT_HEADER || value[0] != SINGLE_OBJECT_MARKER[0] || value[1] != SINGLE_OBJECT_MARKER[1]) {
            throw new IllegalArgumentException("not Avro single-object encoded (" + value.length + " bytes)");
        }
        return ByteBuffer.wrap(value, 2, Long.BYTES).order(ByteOrder.LITTLE_ENDIAN).getLong();
    }

    /** A single-object value with its header replaced by the registry header naming {@code schemaId}. */
    public static byte[] toRegistry(byte[] singleObject, int schemaId) {
        byte[] framed = new byte[REGISTRY_HEADER + singleObject.length - SINGLE_OBJECT_HEADER];
        ByteBuffer.wrap(framed).order(ByteOrder.BIG_ENDIAN).put(MAGIC).putInt(schemaId);
        System.arraycopy(singleObject, SINGLE_OBJECT_HEADER, framed, REGISTRY_HEADER, singleObject.length - SINGLE_OBJECT_HEADER);
        return framed;
    }

    /** The single-object header naming {@code fingerprint}: {@code C3 01} and the fingerprint, little-endian. */
    public static byte[] singleObjectHeader(long fingerprint) {
        return ByteBuffer.allocate(SINGLE_OBJECT_HEADER).order(ByteOrder.LITTLE_ENDIAN).put(SINGLE_OBJECT_MARKER).putLong(fingerprint).array();
    }

    /** A registry-framed value with its header replaced by the single-object header naming {@code fingerprint}. */
    public static byte[] toSingleObject(byte[] registryFramed, long fingerprint) {
        byte[] single = new byte[SINGLE_OBJECT_HEADER + registryFramed.length - REGISTRY_HEADER];
        System.arraycopy(singleObjectHeader(fingerprint), 0, single, 0, SINGLE_OBJECT_HEADER);
        System.arraycopy(registryFramed, REGISTRY_HEADER, single, SINGLE_OBJECT_HEADER, registryFramed.length - REGISTRY_HEADER);
        return single;
    }

    /** The Avro binary body of a registry-framed value, for readers outside vigil. */
    public static byte[] body(byte[] registryFramed) {
        return Arrays.copyOfRange(registryFramed, REGISTRY_HEADER, registryFramed.length);
    }
}
