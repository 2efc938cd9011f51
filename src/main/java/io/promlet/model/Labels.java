package io.promlet.model;

import java.util.Arrays;
import java.util.List;

/**
 * An immutable, ordered set of label names and values. The public factories copy what they are given, so a
 * caller's later change cannot alter a label set; the points a family builds from label values share the
 * family's names array, so such a label set costs one small object and one values array.
 *
 * <p>Every label set is valid to expose: its names are valid label names ({@code [a-zA-Z_][a-zA-Z0-9_]*}, not
 * starting with the reserved {@code __}) and distinct, and its values are non-null, well-formed Unicode. A value
 * with an unpaired surrogate, as cutting a string with emoji to a fixed length produces, is refused: UTF-8 cannot
 * carry it, and replacing it would make different values into one series.
 */
public final class Labels {
    /** The empty label set. */
    public static final Labels EMPTY = new Labels(new String[0], new String[0]);

    private final String[] names;
    private final String[] values;

    private Labels(String[] names, String[] values) {
        this.names = names;
        this.values = values;
    }

    /**
     * Label set from parallel arrays, copied.
     *
     * @throws IllegalArgumentException if the arrays differ in length, a name is invalid or repeated, or a value is
     *                                  not well-formed Unicode
     * @throws NullPointerException     if a name or a value is null
     */
    public static Labels of(String[] names, String[] values) {
        return validated("", names.clone(), values.clone());
    }

    /**
     * Label set from parallel lists, copied.
     *
     * @throws IllegalArgumentException if the lists differ in length, a name is invalid or repeated, or a value is
     *                                  not well-formed Unicode
     * @throws NullPointerException     if a name or a value is null
     */
    public static Labels of(List<String> names, List<String> values) {
        return validated("", names.toArray(new String[0]), values.toArray(new String[0]));
    }

    /**
     * Label set from alternating names and values: {@code Labels.of("path", "/", "status", "200")}.
     *
     * @throws IllegalArgumentException if the count is odd, a name is invalid or repeated, or a value is not
     *                                  well-formed Unicode
     * @throws NullPointerException     if a name or a value is null
     */
    public static Labels of(String... namesAndValues) {
        if (namesAndValues.length % 2 != 0) {
            throw new IllegalArgumentException("odd number of label names and values: " + Arrays.toString(namesAndValues));
        }
        String[] n = new String[namesAndValues.length / 2];
        String[] v = new String[n.length];
        for (int i = 0; i < n.length; i++) {
            n[i] = namesAndValues[2 * i];
            v[i] = namesAndValues[2 * i + 1];
        }
        return validated("", n, v);
    }

    /**
     * The label set of these names with other values, copied and checked. The names are shared, not copied: the
     * label sets of one metric's children cost one small object and one values array each.
     *
     * @throws IllegalArgumentException if the number of values differs from the number of names, or a value is not
     *                                  well-formed Unicode
     * @throws NullPointerException     if a value is null
     */
    public Labels withValues(String... values) {
        String[] v = values.clone();
        Labels labels = adopt(names, v);
        for (int i = 0; i < names.length; i++) {
            checkValue("", names[i], v[i]);
        }
        return labels;
    }

    /**
     * Label set over these arrays after checking every name and value.
     *
     * @param owner as for {@link #checkName}
     */
    static Labels validated(String owner, String[] names, String[] values) {
        Labels labels = adopt(names, values);
        for (int i = 0; i < names.length; i++) {
            checkName(owner, names[i]);
            checkValue(owner, names[i], values[i]);
            checkNotIn(owner, names, i, names[i]);
        }
        return labels;
    }

    /**
     * Label set over these arrays themselves, unchecked: for arrays nobody changes later and whose contents the
     * caller has checked, such as a family's own label names, which every point of the family then shares.
     *
     * @throws IllegalArgumentException if the arrays differ in length
     */
    static Labels adopt(String[] names, String[] values) {
        if (names.length != values.length) {
            throw new IllegalArgumentException("label names " + Arrays.toString(names)
                    + " and values " + Arrays.toString(values) + " differ in length");
        }
        return names.length == 0 ? EMPTY : new Labels(names, values);
    }

    /** Number of labels. */
    public int size() {
        return names.length;
    }

    /** Name of the i-th label. */
    public String name(int i) {
        return names[i];
    }

    /** Value of the i-th label. */
    public String value(int i) {
        return values[i];
    }

    /** Value of the label with this name, or null. */
    public String get(String name) {
        for (int i = 0; i < names.length; i++) {
            if (names[i].equals(name)) {
                return values[i];
            }
        }
        return null;
    }

    /**
     * This label set with one more label at the end, as the {@code le} and {@code quantile} labels are added.
     *
     * @throws IllegalArgumentException if the name is invalid or already in this set, or the value is not
     *                                  well-formed Unicode
     * @throws NullPointerException     if the name or the value is null
     */
    public Labels plus(String name, String value) {
        checkName("", name);
        checkValue("", name, value);
        checkNotIn("", names, names.length, name);
        String[] n = Arrays.copyOf(names, names.length + 1);
        String[] v = Arrays.copyOf(values, values.length + 1);
        n[names.length] = name;
        v[values.length] = value;
        return new Labels(n, v);
    }

    /**
     * Checks a label name: valid and not reserved.
     *
     * @param owner what the label belongs to, such as {@code "metric x: "}, to start the message; may be empty
     * @throws NullPointerException     if it is null
     * @throws IllegalArgumentException if it is not a valid label name or starts with {@code __}
     */
    static void checkName(String owner, String name) {
        if (name == null) {
            throw new NullPointerException(owner + "a label name is null");
        }
        if (!MetricNames.isValidLabelName(name) || name.startsWith("__")) {
            throw new IllegalArgumentException(owner + "invalid label name \"" + name + "\"");
        }
    }

    /**
     * Checks the value of the label of this name: present and well-formed Unicode.
     *
     * @param owner as for {@link #checkName}
     * @throws NullPointerException     if it is null
     * @throws IllegalArgumentException if it has an unpaired surrogate
     */
    static void checkValue(String owner, String name, String value) {
        if (value == null) {
            throw new NullPointerException(owner + "value of label " + name + " is null");
        }
        UnicodeText.check(owner + "label " + name + ": value", value);
    }

    /** Throws if the name is among the first {@code count} names. */
    static void checkNotIn(String owner, String[] names, int count, String name) {
        for (int i = 0; i < count; i++) {
            if (names[i].equals(name)) {
                throw new IllegalArgumentException(owner + "label " + name + " is given twice");
            }
        }
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof Labels)) {
            return false;
        }
        Labels other = (Labels) o;
        return Arrays.equals(names, other.names) && Arrays.equals(values, other.values);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(names) + Arrays.hashCode(values);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("{");
        for (int i = 0; i < names.length; i++) {
            sb.append(i == 0 ? "" : ",").append(names[i]).append("=\"").append(values[i]).append('"');
        }
        return sb.append('}').toString();
    }
}
