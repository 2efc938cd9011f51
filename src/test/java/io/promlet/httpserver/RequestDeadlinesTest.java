package io.promlet.httpserver;

import com.sun.net.httpserver.Filter;
import io.promlet.tools.RealTools;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The deadline mechanism alone, with short deadlines: who is interrupted, who is not, and that nothing leaks. */
class RequestDeadlinesTest {
    private final ExecutorService thread = Executors.newSingleThreadExecutor();
    private final RequestDeadlines deadlines = new RequestDeadlines(thread, 200, 1000, 60_000);  // no slices here: see the last test

    @AfterEach
    void stop() {
        deadlines.close();
        thread.shutdownNow();
    }

    @Test
    void aStalledReadIsInterruptedAHandlerIsNotAndTheNextExchangeStartsClean() throws Exception {
        LinkedBlockingQueue<String> never = new LinkedBlockingQueue<>();
        AtomicReference<String> reading = new AtomicReference<>();
        AtomicReference<String> handling = new AtomicReference<>();
        AtomicReference<String> next = new AtomicReference<>();
        deadlines.execute(() -> {
            try {
                never.take();   // a request that never arrives
                reading.set("not interrupted");
            } catch (InterruptedException e) {
                reading.set("interrupted");
            }
        });
        deadlines.execute(() -> {
            try {
                // The request has arrived: the filter runs (well within the 1 s grace even on a busy machine), then a
                // handler that outlasts the deadline and the grace.
                new Filter.Chain(List.of(deadlines.filter()), exchange -> {
                    try {
                        handling.set(never.poll(3, TimeUnit.SECONDS) == null ? "finished" : "woken");
                    } catch (InterruptedException e) {
                        handling.set("interrupted");
                    }
                }).doFilter(null);
            } catch (java.io.IOException e) {
                handling.set(e.toString());
            }
        });
        deadlines.execute(() -> next.set(Thread.currentThread().isInterrupted() ? "interrupted" : "clean"));
        RealTools.await(Duration.ofSeconds(30), "all three exchanges ran", () -> next.get() != null);
        assertEquals("interrupted", reading.get());
        assertEquals("finished", handling.get());
        assertEquals("clean", next.get());
    }

    @Test
    void whileAnotherExchangeWaitsAStalledReadGetsOnlyItsSlice() {
        RequestDeadlines sliced = new RequestDeadlines(thread, 60_000, 1000, 100);
        try {
            LinkedBlockingQueue<String> never = new LinkedBlockingQueue<>();
            AtomicReference<String> reading = new AtomicReference<>();
            AtomicReference<String> next = new AtomicReference<>();
            sliced.execute(() -> {
                try {
                    never.take();
                    reading.set("not interrupted");
                } catch (InterruptedException e) {
                    reading.set("interrupted");
                }
            });
            sliced.execute(() -> next.set("ran"));
            // Well before the 60 s request deadline: the slice, 100 ms once the second exchange waits, ended the first.
            RealTools.await(Duration.ofSeconds(30), "the waiting exchange ran", () -> next.get() != null);
            assertEquals("interrupted", reading.get());
        } finally {
            sliced.close();
        }
    }
}
