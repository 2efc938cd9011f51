package io.promlet.multiprocess;

import io.promlet.CollectorRegistry;
import io.promlet.Counter;
import io.promlet.Gauge;
import io.promlet.Histogram;
import io.promlet.Info;
import io.promlet.StateSet;

import io.promlet.httpserver.HTTPServer;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A worker process for {@code MultiProcessJvmTest}, started with {@code PROMETHEUS_MULTIPROC_DIR} set. It
 * records a known amount, prints {@code done}, and then exits or waits for its stdin to close (or to be
 * killed). The amounts are {@link #record}'s, which the test replays to know the exact totals.
 *
 * <pre>
 * work &lt;ops&gt;     record ops jobs from two threads, print done, wait for stdin to close
 * serve &lt;ops&gt;    as work, then serve HTTPServer.start's default on a free port, print it, wait for stdin to close
 * once [hang]     record one run, print done, exit (or wait to be killed)
 * metric          create a counter; print the error if that fails
 * enable-late &lt;dir&gt;  create a counter, then call MultiProcess.enable; print the error
 * scrape &lt;dir&gt; &lt;sample&gt;  print the sample's aggregated value
 * </pre>
 */
public final class MultiProcessWorker {
    static final int THREADS = 2;

    private MultiProcessWorker() {
    }

    public static void main(String[] args) throws Exception {
        switch (args[0]) {
            case "work" -> {
                work(Integer.parseInt(args[1]));
                System.out.println("done");
                waitForStdinToClose();
            }
            case "serve" -> {
                work(Integer.parseInt(args[1]));
                try (HTTPServer server = HTTPServer.builder().host("127.0.0.1").port(0).build()) {
                    System.out.println("port " + server.getPort());
                    waitForStdinToClose();
                }
            }
            case "once" -> {
                once();
                System.out.println("done");
                if (args.length > 1 && args[1].equals("hang")) {
                    waitForStdinToClose();
                }
            }
            case "metric" -> {
                try {
                    Counter.builder().name("c_total").help("C.").register().inc();
                    System.out.println("directory " + MultiProcess.directory().orElseThrow());
                } catch (IllegalArgumentException e) {
                    System.out.println(e.getMessage());
                }
            }
            case "enable-late" -> {
                Counter.builder().name("c_total").help("C.").register().inc();
                try {
                    MultiProcess.enable(Path.of(args[1]));
                } catch (IllegalStateException e) {
                    System.out.println(e.getMessage());
                }
            }
            case "scrape" -> {
                CollectorRegistry registry = new CollectorRegistry();
                registry.register(new MultiProcessCollector(Path.of(args[1])));
                System.out.println(registry.getSampleValue(args[2]));
            }
            default -> throw new IllegalArgumentException(args[0]);
        }
        System.out.flush();
    }

    /** What one thread of a worker records for job i: its shard and its observed duration. */
    static String shard(int i) {
        return "s" + i % 4;
    }

    static double duration(int i) {
        return (i % 7) / 2.0;
    }

    private static void work(int ops) throws Exception {
        Counter jobs = Counter.builder().name("jobs_total").help("Jobs.").labelNames("shard").register();
        Histogram seconds = Histogram.builder().name("job_seconds").help("Job time.").buckets(0.5, 1, 2).register();
        Gauge busy = Gauge.builder().name("busy_workers").help("Live workers.")
                .multiProcessMode(Gauge.MultiProcessMode.LIVESUM).register();
        Gauge done = Gauge.builder().name("jobs_done").help("Jobs done, by gauge.").multiProcessMode("sum").register();
        Gauge perProcess = Gauge.builder().name("worker_jobs").help("Jobs per worker.").register();
        Gauge largest = Gauge.builder().name("largest_worker_jobs").help("Most jobs of a live worker.")
                .multiProcessMode("livemax").register();
        Info info = Info.builder().name("worker").help("Worker.").register();
        StateSet phase = StateSet.builder().name("phase").help("Phase.").states("starting", "working", "idle").register();

        busy.inc();
        info.info("version", "1.0");
        phase.state("working");
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            Thread thread = new Thread(() -> {
                for (int i = 0; i < ops / THREADS; i++) {
                    jobs.labels(shard(i)).inc();
                    seconds.observe(duration(i));
                    done.inc();
                }
            });
            thread.start();
            threads.add(thread);
        }
        for (Thread thread : threads) {
            thread.join();
        }
        perProcess.set(ops);
        largest.set(ops);
        phase.state("idle");
    }

    private static void once() {
        Counter.builder().name("runs_total").help("Runs.").register().inc();
        Histogram.builder().name("run_seconds").help("Run time.").buckets(1).register().observe(0.5);
        Gauge.builder().name("running").help("Running.").multiProcessMode("livesum").register().set(1);
    }

    private static void waitForStdinToClose() throws IOException {
        InputStream in = System.in;
        while (in.read() >= 0) {
            // Nothing is sent; the test closes stdin (or kills the process) to end it.
        }
    }
}
