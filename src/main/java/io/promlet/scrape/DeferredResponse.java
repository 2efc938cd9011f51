package io.promlet.scrape;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Arrays;

/**
 * The body of a successful scrape, held back until it is complete so that a failure part-way can still become a
 * 500. Only a body larger than {@link #LIMIT} starts the response early (its first {@code LIMIT} bytes are sent,
 * then the rest as it comes); a failure after that can no longer change the status, and the caller must break the
 * connection instead of completing the response.
 */
final class DeferredResponse extends OutputStream {
    /** Bytes held back at most, per scrape: beyond this, memory matters more than a clean 500. */
    static final int LIMIT = 1 << 20;
    private static final int INITIAL_CAPACITY = 8192;

    /** Sends the status and headers and returns the stream for the body. */
    @FunctionalInterface
    interface Start {
        OutputStream start(boolean hasBody) throws IOException;
    }

    private final Start start;
    private final boolean hasBody;
    private byte[] held = new byte[INITIAL_CAPACITY];
    private int count;
    private OutputStream out;

    /**
     * @param hasBody false for the answer to HEAD: what is written is dropped, and only the headers are sent
     */
    DeferredResponse(Start start, boolean hasBody) {
        this.start = start;
        this.hasBody = hasBody;
    }

    /** Whether the status has been sent, so that a failure can no longer turn into an error response. */
    boolean started() {
        return out != null;
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        if (!hasBody) {
            return;
        }
        if (out != null) {
            out.write(b, off, len);
        } else if (count + len <= LIMIT) {
            if (count + len > held.length) {
                held = Arrays.copyOf(held, Math.min(LIMIT, Math.max(count + len, held.length * 2)));
            }
            System.arraycopy(b, off, held, count, len);
            count += len;
        } else {
            sendHeld();
            out.write(b, off, len);
        }
    }

    @Override
    public void flush() throws IOException {
        if (out != null) {
            out.flush();
        }
    }

    /** Does nothing: only {@link #complete()} ends the response, so that closing after a failure cannot. */
    @Override
    public void close() {
    }

    /** Ends the response normally: sends what is held back (if the response has not started yet) and closes it. */
    void complete() throws IOException {
        if (out == null) {
            sendHeld();
        }
        out.close();
    }

    private void sendHeld() throws IOException {
        out = start.start(hasBody);
        if (out == null) {
            out = OutputStream.nullOutputStream();
        }
        if (count > 0) {
            out.write(held, 0, count);
        }
        held = null;
    }
}
