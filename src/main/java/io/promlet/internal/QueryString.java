package io.promlet.internal;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The parameters of a raw query string, {@code name%5B%5D=a&name[]=b}, decoded as HTML forms encode them ({@code +}
 * is a space, {@code %XX} a byte of UTF-8). Strict: a query with a bad escape or malformed UTF-8 anywhere is refused
 * as a whole, so that every transport answers it with the same 400 instead of guessing (or, as servlet containers
 * may, failing with a 500 and a stack trace per request).
 */
public final class QueryString {
    private QueryString() {
    }

    /**
     * All values of the parameter with this name, in order; empty if none (or if the query is null). A parameter
     * without {@code =} has the empty value.
     *
     * @throws IllegalArgumentException if the query cannot be decoded, with a message for the client
     */
    public static List<String> values(String rawQuery, String name) {
        List<String> values = new ArrayList<>();
        if (rawQuery == null || rawQuery.isEmpty()) {
            return values;
        }
        for (String pair : rawQuery.split("&", -1)) {
            int eq = pair.indexOf('=');
            String key = decode(eq < 0 ? pair : pair.substring(0, eq));
            String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
            if (key.equals(name)) {
                values.add(value);
            }
        }
        return values;
    }

    private static String decode(String s) {
        if (s.indexOf('%') < 0 && s.indexOf('+') < 0) {
            return s;
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(s.length());
        int i = 0;
        while (i < s.length()) {
            char c = s.charAt(i);
            if (c == '%') {
                int high = i + 2 < s.length() ? Character.digit(s.charAt(i + 1), 16) : -1;
                int low = high < 0 ? -1 : Character.digit(s.charAt(i + 2), 16);
                if (low < 0) {
                    throw new IllegalArgumentException("malformed query: bad escape \""
                            + s.substring(i, Math.min(s.length(), i + 3)) + "\"");
                }
                bytes.write(high << 4 | low);
                i += 3;
            } else {
                int end = i + 1;
                while (end < s.length() && s.charAt(end) != '%') {
                    end++;
                }
                byte[] literal = s.substring(i, end).replace('+', ' ').getBytes(StandardCharsets.UTF_8);
                bytes.write(literal, 0, literal.length);
                i = end;
            }
        }
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes.toByteArray())).toString();
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException("malformed query: escapes that are not UTF-8 in \"" + s + "\"", e);
        }
    }
}
