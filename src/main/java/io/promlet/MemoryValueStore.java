package io.promlet;

import io.promlet.model.Labels;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.atomic.DoubleAdder;

/** Values on the heap: striped adders for counts (no contention between threads), a CAS cell for gauges. */
final class MemoryValueStore implements ValueStore {
    @Override
    public Value counter(String metricName, String sampleName, Labels labels) {
        return new AdderValue();
    }

    @Override
    public Value gauge(String metricName, String sampleName, Labels labels) {
        return new AtomicValue();
    }

    private static final class AdderValue extends DoubleAdder implements Value {
        @Override
        public void set(double value) {
            throw new UnsupportedOperationException("a counter value is never set");
        }

        @Override
        public double get() {
            return sum();
        }
    }

    private static final class AtomicValue implements Value {
        private static final VarHandle BITS;

        static {
            try {
                BITS = MethodHandles.lookup().findVarHandle(AtomicValue.class, "bits", long.class);
            } catch (ReflectiveOperationException e) {
                throw new ExceptionInInitializerError(e);
            }
        }

        private volatile long bits;

        @Override
        public void add(double amount) {
            long old;
            do {
                old = bits;
            } while (!BITS.compareAndSet(this, old, Double.doubleToRawLongBits(Double.longBitsToDouble(old) + amount)));
        }

        @Override
        public void set(double value) {
            bits = Double.doubleToRawLongBits(value);
        }

        @Override
        public double get() {
            return Double.longBitsToDouble(bits);
        }
    }
}
