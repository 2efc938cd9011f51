package io.promlet.model;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

/** Model values are equal, hash and print by their components, as the records they once were did. */
class ModelValueTest {
    private static final Labels PATH = Labels.of("path", "/");

    @Test
    void samplesAndExemplarsCompareEveryComponentWithNaNEqualToItself() {
        Exemplar exemplar = new Exemplar(Labels.of("trace_id", "abc"), 0.5, Double.NaN);
        assertEquals(new Exemplar(Labels.of("trace_id", "abc"), 0.5, Double.NaN), exemplar);
        assertEquals(new Exemplar(Labels.of("trace_id", "abc"), 0.5, Double.NaN).hashCode(), exemplar.hashCode());
        assertNotEquals(new Exemplar(Labels.of("trace_id", "abc"), 0.5, 1), exemplar);

        Sample sample = new Sample("x_total", PATH, Double.NaN, exemplar);
        assertEquals(new Sample("x_total", PATH, Double.NaN, exemplar), sample);
        assertNotEquals(new Sample("x_total", PATH, Double.NaN, null), sample);
        assertNotEquals(new Sample("y_total", PATH, Double.NaN, exemplar), sample);
        assertEquals("Sample[name=x_total, labels={path=\"/\"}, value=NaN, exemplar=Exemplar[labels={trace_id=\"abc\"},"
                + " value=0.5, timestampSeconds=NaN]]", sample.toString());
    }

    @Test
    void nativeBucketsCompareTheirBucketsByContent() {
        NativeBuckets buckets = new NativeBuckets(0, 0, 1, new int[] {1, 2}, new long[] {2, 1}, new int[0], new long[0]);
        NativeBuckets same = new NativeBuckets(0, 0, 1, new int[] {1, 2}, new long[] {2, 1}, new int[0], new long[0]);
        assertEquals(same, buckets);
        assertEquals(same.hashCode(), buckets.hashCode());
        assertNotEquals(new NativeBuckets(0, 0, 1, new int[] {1, 3}, new long[] {2, 1}, new int[0], new long[0]), buckets);
        assertNotEquals(new NativeBuckets(0, 0, 1, new int[0], new long[0], new int[] {1, 2}, new long[] {2, 1}), buckets);
        assertEquals("NativeBuckets[schema=0, zeroThreshold=0.0, zeroCount=1, positive=[1, 2]:[2, 1], negative=[]:[]]",
                buckets.toString());
    }

    @Test
    void pointsCompareLabelsAndComponentsAndTheirArraysByIdentity() {
        double[] quantiles = {0.5};
        double[] values = {1.5};
        SummaryMetricFamily.Point point = new SummaryMetricFamily.Point(PATH, 3, 4.5, quantiles, values, 10);
        assertEquals(new SummaryMetricFamily.Point(PATH, 3, 4.5, quantiles, values, 10), point);
        assertNotEquals(new SummaryMetricFamily.Point(PATH, 3, 4.5, quantiles, values, 11), point);
        assertNotEquals(new SummaryMetricFamily.Point(Labels.EMPTY, 3, 4.5, quantiles, values, 10), point);
        assertNotEquals(new SummaryMetricFamily.Point(PATH, 3, 4.5, quantiles.clone(), values, 10), point);

        CounterMetricFamily.Point counter = new CounterMetricFamily.Point(PATH, 2, null, Double.NaN);
        assertEquals(new CounterMetricFamily.Point(PATH, 2, null, Double.NaN), counter);
        assertNotEquals(new GaugeMetricFamily.Point(PATH, 2), counter);
        assertEquals("Point[labels={path=\"/\"}, value=2.0, exemplar=null, created=NaN]", counter.toString());
    }
}
