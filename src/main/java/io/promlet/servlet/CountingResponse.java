package io.promlet.servlet;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CharsetEncoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Counts the body bytes the application writes, for {@code http_response_size_bytes}. Both the stream and
 * the writer still come from the container, so its rules (one or the other, charset handling, buffering)
 * are unchanged; the writer's characters are counted as the bytes of the response charset. Bytes dropped
 * by {@code reset()} were never sent and are not counted. Only used when response sizes are enabled.
 */
final class CountingResponse extends HttpServletResponseWrapper {
    private volatile long bytes;
    private ServletOutputStream stream;
    private PrintWriter writer;

    CountingResponse(HttpServletResponse response) {
        super(response);
    }

    /** The body bytes written so far. */
    long bytes() {
        return bytes;
    }

    private void add(long n) {
        // One thread writes a response at a time; the container orders async hand-overs.
        bytes += n;
    }

    /**
     * The request to pass down the chain with this response: its {@code startAsync()} keeps this response in
     * the async context, so bytes written later through {@code AsyncContext.getResponse()} count too.
     */
    HttpServletRequest requestFor(HttpServletRequest request) {
        return new HttpServletRequestWrapper(request) {
            @Override
            public AsyncContext startAsync() {
                return startAsync(this, CountingResponse.this);
            }
        };
    }

    @Override
    public ServletOutputStream getOutputStream() throws IOException {
        ServletOutputStream inner = super.getOutputStream();
        if (stream == null) {
            stream = new CountingStream(inner);
        }
        return stream;
    }

    @Override
    public PrintWriter getWriter() throws IOException {
        PrintWriter inner = super.getWriter();
        if (writer == null) {
            String encoding = getCharacterEncoding();
            writer = new CountingWriter(inner, encoding == null ? StandardCharsets.ISO_8859_1 : Charset.forName(encoding));
        }
        return writer;
    }

    @Override
    public void reset() {
        super.reset();
        bytes = 0;
    }

    @Override
    public void resetBuffer() {
        super.resetBuffer();
        bytes = 0;
    }

    private final class CountingStream extends ServletOutputStream {
        private final ServletOutputStream out;

        CountingStream(ServletOutputStream out) {
            this.out = out;
        }

        @Override
        public void write(int b) throws IOException {
            out.write(b);
            add(1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
            add(len);
        }

        @Override
        public void flush() throws IOException {
            out.flush();
        }

        @Override
        public void close() throws IOException {
            out.close();
        }

        @Override
        public boolean isReady() {
            return out.isReady();
        }

        @Override
        public void setWriteListener(WriteListener listener) {
            out.setWriteListener(listener);
        }
    }

    /** A PrintWriter over the container's writer whose every write, println included, passes the counter. */
    private final class CountingWriter extends PrintWriter {
        private final PrintWriter inner;

        CountingWriter(PrintWriter inner, Charset charset) {
            super(new EncodedLength(inner, charset));
            this.inner = inner;
        }

        @Override
        public boolean checkError() {
            return super.checkError() | inner.checkError();
        }
    }

    /** Bytes of one char in UTF-8; outside EncodedLength, as inner classes have no static methods before Java 16. */
    private static int utf8Length(char c) {
        // A surrogate pair is 4 bytes: 2 for each half.
        return c < 0x80 ? 1 : c < 0x800 || Character.isSurrogate(c) ? 2 : 3;
    }

    private final class EncodedLength extends Writer {
        private final PrintWriter out;
        private final boolean utf8;
        private final boolean singleByte;
        private final CharsetEncoder encoder;

        EncodedLength(PrintWriter out, Charset charset) {
            this.out = out;
            this.utf8 = charset.equals(StandardCharsets.UTF_8);
            this.encoder = charset.newEncoder()
                    .onMalformedInput(CodingErrorAction.REPLACE)
                    .onUnmappableCharacter(CodingErrorAction.REPLACE);
            this.singleByte = encoder.maxBytesPerChar() == 1;
        }

        @Override
        public void write(char[] chars, int off, int len) {
            out.write(chars, off, len);
            add(length(CharBuffer.wrap(chars, off, len)));
        }

        @Override
        public void write(String s, int off, int len) {
            out.write(s, off, len);
            add(length(CharBuffer.wrap(s, off, off + len)));
        }

        @Override
        public void write(int c) {
            out.write(c);
            char ch = (char) c;
            add(singleByte ? 1 : utf8 ? utf8Length(ch) : length(CharBuffer.wrap(new char[] {ch})));
        }

        private long length(CharBuffer chars) {
            if (singleByte) {
                return chars.remaining();
            }
            if (utf8) {
                long n = 0;
                while (chars.hasRemaining()) {
                    n += utf8Length(chars.get());
                }
                return n;
            }
            // Other multi-byte charsets are rare in responses; encoding each write is exact for stateless ones.
            try {
                return encoder.reset().encode(chars).remaining();
            } catch (CharacterCodingException e) {
                return chars.remaining();
            }
        }

        @Override
        public void flush() {
            out.flush();
        }

        @Override
        public void close() {
            out.close();
        }
    }
}
