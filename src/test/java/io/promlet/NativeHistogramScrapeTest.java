package io.promlet;

import io.prometheus.metrics.expositionformats.generated.com_google_protobuf_4_36_1.Metrics;
import io.promlet.exposition.ExpositionFormat;
import io.promlet.tools.ExpositionLines;
import io.promlet.tools.ProtobufExposition;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Scrapes of default (classic and native) histograms in every format while threads observe and new children reduce
 * their schema: each scrape must show whole observations, the sum included.
 */
class NativeHistogramScrapeTest {
    private static final int OBSERVERS = 2;
    private static final int OBSERVATIONS_PER_CHILD = 400;
    private static final int SCRAPES_PER_FORMAT = 20;
    /** Children an observer makes before it goes round them again, which bounds the scrape. */
    private static final int CHILDREN_PER_OBSERVER = 1000;

    /**
     * Each child observes only 1 and 4, so its sum follows from its {@code le="1.0"} bucket and its count; a limit of
     * one native bucket makes every new child reduce its schema down to -4 while the scraper reads the others.
     */
    @Test
    void everyFormatShowsWholeObservationsWhileThreadsObserveAndReduce() throws Exception {
        CollectorRegistry registry = new CollectorRegistry();
        Histogram h = Histogram.builder().name("work_seconds").help("Work.").labelNames("child").buckets(1, 2)
                .nativeMaxNumberOfBuckets(1).register(registry);
        AtomicBoolean observing = new AtomicBoolean(true);
        AtomicLong observed = new AtomicLong();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        List<Thread> observers = new ArrayList<>();
        for (int t = 0; t < OBSERVERS; t++) {
            int thread = t;
            observers.add(new Thread(() -> {
                // Until the scraper is done, new children first, so that scrapes meet observers and reductions.
                for (int n = 0; observing.get(); n++) {
                    int c = n % CHILDREN_PER_OBSERVER;
                    // The other observer shares every second child, so that two threads also race on one child.
                    Histogram.Child child = h.labels("c" + (c % 2 == 0 ? "shared" + c : thread + "-" + c));
                    for (int i = 0; i < OBSERVATIONS_PER_CHILD; i++) {
                        child.observe(i % 3 == 0 ? 4 : 1);
                    }
                    observed.addAndGet(OBSERVATIONS_PER_CHILD);
                }
            }));
        }
        int[] scrapes = new int[ExpositionFormat.values().length];
        Thread scraper = new Thread(() -> {
            try {
                for (int n = 0; n < SCRAPES_PER_FORMAT * scrapes.length; n++) {
                    ExpositionFormat format = ExpositionFormat.values()[n % scrapes.length];
                    ByteArrayOutputStream out = new ByteArrayOutputStream();
                    format.write(out, registry.collect());
                    if (format == ExpositionFormat.PROTOBUF) {
                        assertProtobufConsistent(out.toByteArray());
                    } else {
                        assertTextConsistent(out.toString(StandardCharsets.UTF_8));
                    }
                    scrapes[format.ordinal()]++;
                }
            } catch (Throwable e) {
                failure.set(e);
            } finally {
                observing.set(false);
            }
        });
        observers.forEach(Thread::start);
        scraper.start();
        scraper.join();
        for (Thread observer : observers) {
            observer.join();
        }
        if (failure.get() != null) {
            throw new AssertionError(failure.get());
        }
        for (int count : scrapes) {
            assertEquals(SCRAPES_PER_FORMAT, count, "scrapes in each format");
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ExpositionFormat.PROTOBUF.write(out, registry.collect());
        long total = 0;
        for (Metrics.Metric m : ProtobufExposition.parse(out.toByteArray()).get(0).getMetricList()) {
            total += m.getHistogram().getSampleCount();
            assertEquals(-4, m.getHistogram().getSchema(), "the limit of one bucket took every child down to the coarsest schema");
        }
        assertEquals(observed.get(), total);
    }

    private static void assertTextConsistent(String text) {
        Map<String, Map<String, Double>> byChild = new HashMap<>();
        for (ExpositionLines.Line line : ExpositionLines.parse(text).all()) {
            String sample = line.name() + (line.labels().containsKey("le") ? ":" + line.labels().get("le") : "");
            byChild.computeIfAbsent(line.labels().get("child"), c -> new HashMap<>()).put(sample, line.value());
        }
        for (Map.Entry<String, Map<String, Double>> e : byChild.entrySet()) {
            Map<String, Double> s = e.getValue();
            if (!s.containsKey("work_seconds_count")) {
                continue;
            }
            double atMostOne = s.get("work_seconds_bucket:1.0");
            double count = s.get("work_seconds_count");
            assertEquals(atMostOne, s.get("work_seconds_bucket:2.0"), e.getKey() + ": nothing lies in (1, 2]");
            assertEquals(count, s.get("work_seconds_bucket:+Inf"), e.getKey());
            assertEquals(atMostOne + 4 * (count - atMostOne), s.get("work_seconds_sum"), e.getKey() + ": the sum of whole observations");
        }
    }

    private static void assertProtobufConsistent(byte[] bytes) throws Exception {
        for (Metrics.MetricFamily family : ProtobufExposition.parse(bytes)) {
            for (Metrics.Metric m : family.getMetricList()) {
                Metrics.Histogram histogram = m.getHistogram();
                long count = histogram.getSampleCount();
                long atMostOne = histogram.getBucket(0).getCumulativeCount();
                long nativeCount = histogram.getZeroCount();
                for (long n : ProtobufExposition.nativeBuckets(histogram.getPositiveSpanList(), histogram.getPositiveDeltaList()).values()) {
                    nativeCount += n;
                }
                assertEquals(count, nativeCount, "the native buckets count the same observations");
                assertEquals(count, histogram.getBucket(histogram.getBucketCount() - 1).getCumulativeCount());
                assertEquals(atMostOne + 4.0 * (count - atMostOne), histogram.getSampleSum(), "the sum of whole observations");
            }
        }
    }
}
