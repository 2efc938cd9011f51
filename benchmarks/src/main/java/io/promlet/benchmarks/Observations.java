package io.promlet.benchmarks;

import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/** Each thread's position in {@link Shapes#OBSERVATIONS}. */
@State(Scope.Thread)
public class Observations {
    private int i;

    double next() {
        i = (i + 1) & (Shapes.OBSERVATIONS.length - 1);
        return Shapes.OBSERVATIONS[i];
    }
}
