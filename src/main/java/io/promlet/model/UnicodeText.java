package io.promlet.model;

/**
 * Whether text is well-formed Unicode, which UTF-8 can carry: the check behind every label value and HELP text the
 * model accepts, so that the writers never meet a string they could only write lossily.
 */
final class UnicodeText {
    private UnicodeText() {
    }

    /**
     * Checks that the text is well-formed Unicode.
     *
     * @param what what the text is, such as {@code "metric x: help"}, to start the message
     * @throws IllegalArgumentException if it has an unpaired surrogate
     */
    static void check(String what, String s) {
        int bad = unpairedSurrogate(s);
        if (bad >= 0) {
            throw new IllegalArgumentException(what + " " + escaped(s) + " is not valid Unicode: unpaired surrogate at index "
                    + bad);
        }
    }

    /** The index of the first surrogate that is not half of a pair, or -1 if there is none. */
    private static int unpairedSurrogate(String s) {
        int length = s.length();
        for (int i = 0; i < length; i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < length && Character.isLowSurrogate(s.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return i;
            }
        }
        return -1;
    }

    /**
     * The string in double quotes with every surrogate that is not half of a pair written as {@code \\uXXXX}, so
     * that an error message shows which value was refused (the surrogate itself would print as {@code ?}).
     */
    private static String escaped(String s) {
        StringBuilder b = new StringBuilder(s.length() + 8).append('"');
        int length = s.length();
        for (int i = 0; i < length; i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < length && Character.isLowSurrogate(s.charAt(i + 1))) {
                b.append(c).append(s.charAt(++i));
            } else if (Character.isSurrogate(c)) {
                b.append(String.format("\\u%04X", (int) c));
            } else {
                b.append(c);
            }
        }
        return b.append('"').toString();
    }
}
