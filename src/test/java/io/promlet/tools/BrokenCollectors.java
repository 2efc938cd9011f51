package io.promlet.tools;

import io.promlet.Collector;
import io.promlet.model.GaugeMetricFamily;
import io.promlet.model.MetricFamily;

import org.junit.jupiter.api.Assertions;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Collectors that pass registration and then break the scrape: the cases of issue 13 that gave a complete-looking
 * 200 with a truncated or empty body. Each one shows nothing at registration (so its names count as unknown) and
 * fails only from its second {@code collect()}.
 */
public final class BrokenCollectors {
    private BrokenCollectors() {
    }

    /**
     * Healthy gauges worth about {@code paddingBytes} of exposition, then a family that fails only while it is
     * rendered: its sample filter (a {@link MetricFamily#filtered} view, which the writers ask per sample name)
     * throws. Nothing at collection time can catch it, however strictly the model checks what it is given.
     */
    public static Collector unrenderableAfter(int paddingBytes) {
        return afterRegistration(() -> {
            List<MetricFamily> families = padding(paddingBytes);
            GaugeMetricFamily broken = new GaugeMetricFamily("broken", "Fails while rendered.", List.of());
            broken.addMetric(List.of(), 1);
            families.add(broken.filtered(name -> {
                throw new IllegalStateException("cannot decide on " + name);
            }));
            return families;
        });
    }

    /** Healthy gauges worth about {@code paddingBytes}, then a null family. */
    public static Collector nullFamilyAfter(int paddingBytes) {
        return afterRegistration(() -> {
            List<MetricFamily> families = padding(paddingBytes);
            families.add(null);
            return families;
        });
    }

    /** A collector whose dependency is missing at scrape time. */
    public static Collector missingClass() {
        return afterRegistration(() -> {
            throw new NoClassDefFoundError("com/example/MissingDependency");
        });
    }

    /**
     * Scrapes the target in both formats, with and without gzip, and asserts that the client never gets a complete
     * 200; with {@code expect500}, that it gets a complete 500.
     */
    public static void assertScrapeFails(int port, String target, boolean expect500) throws IOException {
        for (String[] headers : new String[][] {
                {}, {"Accept: application/openmetrics-text; version=1.0.0"}, {"Accept-Encoding: gzip"},
                {"Accept: application/openmetrics-text; version=1.0.0", "Accept-Encoding: gzip"}}) {
            RawHttp.Response r = RawHttp.get(port, target, headers);
            String what = List.of(headers) + ": " + r.status() + " " + r.headers();
            Assertions.assertFalse(r.completeSuccess(), what);
            if (expect500) {
                Assertions.assertEquals(500, r.status(), what);
                Assertions.assertTrue(r.complete(), what);
            }
        }
    }

    /** Healthy gauges worth about {@code paddingBytes}, from the second {@code collect()} on. */
    public static Collector paddingOf(int paddingBytes) {
        return afterRegistration(() -> padding(paddingBytes));
    }

    /** The collector, from its second {@code collect()} on; the first, at registration, shows nothing. */
    public static Collector afterRegistration(Collector broken) {
        return new Collector() {
            private volatile boolean registered;

            @Override
            public List<MetricFamily> collect() {
                if (!registered) {
                    registered = true;
                    return List.of();
                }
                return broken.collect();
            }

            @Override
            public String toString() {
                return "broken collector";
            }
        };
    }

    /** Gauges named pad_gauge_N, each line about 100 bytes (incompressible enough for gzip to keep most of it). */
    private static List<MetricFamily> padding(int bytes) {
        List<MetricFamily> families = new ArrayList<>();
        GaugeMetricFamily pad = new GaugeMetricFamily("pad_gauge", "Padding.", List.of("id"));
        Random random = new Random(13);
        for (int i = 0; i * 100 < bytes; i++) {
            pad.addMetric(List.of(Long.toHexString(random.nextLong()) + Long.toHexString(random.nextLong())
                    + Long.toHexString(random.nextLong()) + Long.toHexString(random.nextLong())), random.nextDouble());
        }
        families.add(pad);
        return families;
    }
}
