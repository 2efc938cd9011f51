package io.promlet.demo;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;

/** A slow endpoint: {@code GET /slow?ms=300} answers after that many milliseconds (250 unless given, at most 10 s). */
public class SlowServlet extends HttpServlet {
    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        long ms = Math.min(Parameters.millis(req, "ms", 250), 10_000);
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        resp.setContentType("text/plain; charset=utf-8");
        resp.getWriter().write("slept " + ms + " ms\n");
    }
}
