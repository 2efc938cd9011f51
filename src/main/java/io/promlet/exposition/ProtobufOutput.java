package io.promlet.exposition;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The byte level of the protobuf format: tags, varints, doubles, UTF-8 strings and nested messages, encoded into one
 * reused byte array. A nested message's length is known only after its content, so {@link #beginMessage(int)}
 * reserves one byte for it and {@link #endMessage(int)} fills it in, moving the content up when the
 * length needs more than one byte (a message of 128 bytes or more). No object is built per message or value, only
 * per string that is not ASCII.
 */
final class ProtobufOutput {
    private static final int INITIAL_SIZE = 8192;
    private static final int WIRE_VARINT = 0;
    private static final int WIRE_FIXED64 = 1;
    private static final int WIRE_LENGTH_DELIMITED = 2;

    private final OutputStream out;
    private byte[] buffer = new byte[INITIAL_SIZE];
    private int position;

    ProtobufOutput(OutputStream out) {
        this.out = out;
    }

    /** Writes a varint field, as {@code uint64}, {@code int64}, {@code int32} and enums are encoded. */
    void uint64(int field, long value) {
        tag(field, WIRE_VARINT);
        varint(value);
    }

    /** Writes a {@code sint32} or {@code sint64} field: zigzag-encoded, so small negative numbers stay short. */
    void sint64(int field, long value) {
        tag(field, WIRE_VARINT);
        varint(value << 1 ^ value >> 63);
    }

    /** Writes a {@code double} field: 8 bytes, little-endian. */
    void doubleField(int field, double value) {
        tag(field, WIRE_FIXED64);
        ensure(8);
        long bits = Double.doubleToRawLongBits(value);
        for (int i = 0; i < 8; i++) {
            buffer[position++] = (byte) (bits >>> 8 * i);
        }
    }

    /** Writes a {@code string} field as UTF-8. */
    void string(int field, String s) {
        int start = beginMessage(field);
        utf8(s);
        endMessage(start);
    }

    /**
     * Writes a message of two string fields, as a label is. Both short and ASCII, as nearly all label names and values
     * are, every length is known before the bytes, so they are written in one go; otherwise as nested fields.
     */
    void stringPair(int field, int firstField, String first, int secondField, String second) {
        int firstLength = first.length();
        int secondLength = second.length();
        int length = 4 + firstLength + secondLength;
        if (length < 0x80 && (firstField | secondField) < 16) {
            int start = position;
            tag(field, WIRE_LENGTH_DELIMITED);
            ensure(1 + length);
            byte[] b = buffer;
            int p = position;
            b[p] = (byte) length;
            b[p + 1] = (byte) (firstField << 3 | WIRE_LENGTH_DELIMITED);
            b[p + 2] = (byte) firstLength;
            if (ascii(first, b, p + 3)) {
                p += 3 + firstLength;
                b[p] = (byte) (secondField << 3 | WIRE_LENGTH_DELIMITED);
                b[p + 1] = (byte) secondLength;
                if (ascii(second, b, p + 2)) {
                    position = p + 2 + secondLength;
                    return;
                }
            }
            position = start;
        }
        int message = beginMessage(field);
        string(firstField, first);
        string(secondField, second);
        endMessage(message);
    }

    /** Copies the string into the buffer at p if it is ASCII, which the buffer has room for; false if it is not. */
    private static boolean ascii(String s, byte[] b, int p) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c >= 0x80) {
                return false;
            }
            b[p + i] = (byte) c;
        }
        return true;
    }

    /** Starts a nested message (or any length-delimited field); returns what {@link #endMessage(int)} needs. */
    int beginMessage(int field) {
        tag(field, WIRE_LENGTH_DELIMITED);
        return beginDelimited();
    }

    /** Starts a length-prefixed record without a tag, as each message of a delimited stream is. */
    int beginDelimited() {
        ensure(1);
        return position++;
    }

    /** Ends the message begun at {@code start}: writes its length in front of it. */
    void endMessage(int start) {
        int length = position - start - 1;
        int lengthBytes = varintSize(length);
        if (lengthBytes > 1) {
            ensure(lengthBytes - 1);
            System.arraycopy(buffer, start + 1, buffer, start + lengthBytes, length);
            position += lengthBytes - 1;
        }
        int p = start;
        long v = length;
        while (v >= 0x80) {
            buffer[p++] = (byte) (v | 0x80);
            v >>>= 7;
        }
        buffer[p] = (byte) v;
    }

    /** Hands everything encoded so far to the stream, so the array holds at most one family at a time. */
    void drain() throws IOException {
        out.write(buffer, 0, position);
        position = 0;
    }

    void flush() throws IOException {
        drain();
        out.flush();
    }

    private void tag(int field, int wireType) {
        varint(field << 3 | wireType);
    }

    private void varint(long v) {
        ensure(10);
        while ((v & ~0x7FL) != 0) {
            buffer[position++] = (byte) (v | 0x80);
            v >>>= 7;
        }
        buffer[position++] = (byte) v;
    }

    private static int varintSize(int v) {
        int size = 1;
        while ((v & ~0x7F) != 0) {
            size++;
            v >>>= 7;
        }
        return size;
    }

    /**
     * ASCII byte by byte, as names and nearly all label values are; a string with other characters is encoded by the
     * JDK instead (an unpaired surrogate becomes {@code ?}), at the cost of one array.
     */
    private void utf8(String s) {
        int length = s.length();
        ensure(length);
        byte[] b = buffer;
        int p = position;
        for (int i = 0; i < length; i++) {
            char c = s.charAt(i);
            if (c >= 0x80) {
                byte[] encoded = s.getBytes(StandardCharsets.UTF_8);
                ensure(encoded.length);
                System.arraycopy(encoded, 0, buffer, position, encoded.length);
                position += encoded.length;
                return;
            }
            b[p++] = (byte) c;
        }
        position = p;
    }

    private void ensure(int bytes) {
        if (position + bytes > buffer.length) {
            buffer = Arrays.copyOf(buffer, Math.max(buffer.length * 2, position + bytes));
        }
    }
}
