package io.promlet.internal;

import io.promlet.model.Labels;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;

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

    /**
     * Whole amounts (every {@code inc()} and bucket count) go to the LongAdder itself, whose add is one integer CAS; a
     * DoubleAdder's add also moves the value between integer and floating-point registers, which makes it about
     * twice as slow. Other amounts go to a DoubleAdder, made on the first such amount: most counters and every
     * bucket count only ever see whole amounts, and the adder would double what each of them holds.
     */
    @SuppressWarnings("serial")
    private static final class AdderValue extends LongAdder implements Value {
        /** Larger whole amounts go to the DoubleAdder, so that the LongAdder cannot overflow in practice. */
        private static final double MAX_WHOLE = 0x1p32;

        private static final VarHandle FRACTIONAL;

        static {
            try {
                FRACTIONAL = MethodHandles.lookup().findVarHandle(AdderValue.class, "fractional", DoubleAdder.class);
            } catch (ReflectiveOperationException e) {
                throw new ExceptionInInitializerError(e);
            }
        }

        private volatile DoubleAdder fractional;

        @Override
        public void add(double amount) {
            long n = (long) amount;
            if (n == amount && Math.abs(amount) <= MAX_WHOLE) {
                add(n);
            } else {
                fractional().add(amount);
            }
        }

        @Override
        public void set(double value) {
            throw new UnsupportedOperationException("a counter value is never set");
        }

        @Override
        public double get() {
            DoubleAdder f = fractional;
            return f == null ? sum() : sum() + f.sum();
        }

        /** The adder of other amounts; threads racing to make it all use the one that won. */
        private DoubleAdder fractional() {
            DoubleAdder f = fractional;
            if (f == null) {
                DoubleAdder made = new DoubleAdder();
                f = (DoubleAdder) FRACTIONAL.compareAndExchange(this, null, made);
                if (f == null) {
                    f = made;
                }
            }
            return f;
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

        /**
         * A release store: what a scrape needs to see the value, without the full fence of a volatile write,
         * which costs a gauge update most of its time. Nothing is ordered after a set: it ends the update.
         */
        @Override
        public void set(double value) {
            BITS.setRelease(this, Double.doubleToRawLongBits(value));
        }

        @Override
        public double get() {
            return Double.longBitsToDouble(bits);
        }
    }
}
