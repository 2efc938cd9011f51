package io.promlet.model;

import java.util.Arrays;

/**
 * An immutable value of the model: a family's data point, a sample, an exemplar or native buckets. Two values are
 * equal when they are of the same class and their components are (numbers by value, NaN equal to NaN; arrays by
 * identity, as records compare them); the string form names the class and lists the components. Public because
 * its methods are the values' own; only this package extends it.
 */
public abstract class ModelValue {
    ModelValue() {
    }

    /** What the value holds, as name, value pairs in declaration order. */
    abstract Object[] components();

    @Override
    public final boolean equals(Object o) {
        return o != null && o.getClass() == getClass() && Arrays.equals(components(), ((ModelValue) o).components());
    }

    @Override
    public final int hashCode() {
        return Arrays.hashCode(components());
    }

    @Override
    public final String toString() {
        StringBuilder s = new StringBuilder(getClass().getSimpleName()).append('[');
        Object[] c = components();
        for (int i = 0; i < c.length; i += 2) {
            s.append(i == 0 ? "" : ", ").append(c[i]).append('=').append(c[i + 1]);
        }
        return s.append(']').toString();
    }
}
