package io.promlet.demo;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Asynchronous endpoints, all answering from another thread after {@code ?delay=} milliseconds (100 unless given):
 * <ul>
 *   <li>{@code /async/complete}: writes the answer and completes;
 *   <li>{@code /async/timeout}: never completes, so the container times the request out after the delay;
 *   <li>{@code /async/error}: dispatches back to this servlet, which throws during the async dispatch.
 * </ul>
 */
public class AsyncServlet extends HttpServlet {
    private transient ScheduledExecutorService timer;
    private transient volatile Thread timerThread;

    @Override
    public void init() {
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "demo-async-timer");
            t.setDaemon(true);
            timerThread = t;
            return t;
        });
    }

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        if (req.getDispatcherType() == DispatcherType.ASYNC) {
            throw new IllegalStateException("demo failure during an async dispatch");
        }
        String outcome = req.getPathInfo() == null ? "" : req.getPathInfo();
        long delay = Math.min(Parameters.millis(req, "delay", 100), 10_000);
        AsyncContext async = req.startAsync();
        switch (outcome) {
            case "/complete":
                async.setTimeout(delay + 30_000);
                timer.schedule(() -> {
                    try {
                        HttpServletResponse r = (HttpServletResponse) async.getResponse();
                        r.setContentType("text/plain; charset=utf-8");
                        r.getWriter().write("completed after " + delay + " ms\n");
                    } catch (IOException e) {
                        log("async write failed", e);
                    }
                    async.complete();
                }, delay, TimeUnit.MILLISECONDS);
                break;
            case "/timeout":
                async.setTimeout(Math.max(delay, 1));
                break;
            case "/error":
                async.setTimeout(delay + 30_000);
                timer.schedule(() -> async.dispatch(), delay, TimeUnit.MILLISECONDS);
                break;
            default:
                resp.sendError(HttpServletResponse.SC_NOT_FOUND, "try /async/complete, /async/timeout or /async/error");
                async.complete();
                break;
        }
    }

    @Override
    public void destroy() {
        timer.shutdownNow();
        // The pool reports termination just before its thread exits; Tomcat's leak check on undeploy would see it.
        Thread t = timerThread;
        if (t != null) {
            try {
                t.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
