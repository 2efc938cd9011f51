package io.promlet.benchmarks;

import io.prometheus.metrics.expositionformats.PrometheusProtobufWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.promlet.CollectorRegistry;
import io.promlet.exposition.ProtobufFormat;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.concurrent.TimeUnit;

/**
 * One protobuf scrape (delimited MetricFamily messages, as Prometheus asks for with native histograms): collect the
 * registry of {@link ExpositionBenchmark} (1,000 families of 10 children) and write it into a reused byte stream, in
 * 2 threads as concurrent scrapes would. Both libraries send created timestamps. client_java's writer is its
 * {@code PrometheusProtobufWriter}, which builds the generated protobuf objects and serialises them. The
 * {@code protobufDefaultHistograms} row scrapes a {@link ThirdsRegistry} with each library's default histograms
 * (classic and native buckets), whose native buckets only this format shows.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Threads(2)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class ProtobufBenchmark {
    private final PrometheusProtobufWriter clientJavaWriter = new PrometheusProtobufWriter();
    private CollectorRegistry promlet;
    private PrometheusRegistry clientJava;

    /** Each scraping thread writes into its own buffer. */
    @State(Scope.Thread)
    public static class Buffer {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream(4 << 20);
    }

    @Setup
    public void setUp() throws IOException {
        if (!clientJavaWriter.isAvailable()) {
            throw new IllegalStateException("client_java's protobuf writer needs prometheus-metrics-exposition-formats");
        }
        ExpositionBenchmark registries = new ExpositionBenchmark();
        registries.setUp();
        promlet = registries.promlet;
        clientJava = registries.clientJava;
        Buffer buffer = new Buffer();
        System.out.printf("protobuf: promlet %d bytes, client_java %d bytes%n", protobuf_promlet(buffer),
                protobuf_clientJava(buffer));
    }

    @Benchmark
    public int protobuf_promlet(Buffer buffer) throws IOException {
        buffer.bytes.reset();
        ProtobufFormat.write(buffer.bytes, promlet.collect(), true);
        return buffer.bytes.size();
    }

    @Benchmark
    public int protobuf_clientJava(Buffer buffer) throws IOException {
        buffer.bytes.reset();
        clientJavaWriter.write(buffer.bytes, clientJava.scrape());
        return buffer.bytes.size();
    }

    @Benchmark
    public int protobufDefaultHistograms_promlet(ExpositionBenchmark.DefaultHistograms state, Buffer buffer) throws IOException {
        buffer.bytes.reset();
        ProtobufFormat.write(buffer.bytes, state.registries.promlet.collect(), true);
        return buffer.bytes.size();
    }

    @Benchmark
    public int protobufDefaultHistograms_clientJava(ExpositionBenchmark.DefaultHistograms state, Buffer buffer) throws IOException {
        buffer.bytes.reset();
        clientJavaWriter.write(buffer.bytes, state.registries.clientJava.scrape());
        return buffer.bytes.size();
    }
}
