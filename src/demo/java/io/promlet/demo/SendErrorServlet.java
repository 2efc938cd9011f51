package io.promlet.demo;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;

/** {@code GET /send-error?code=404} answers with {@code sendError(code)}: 500 unless given. */
public class SendErrorServlet extends HttpServlet {
    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        long code = Parameters.millis(req, "code", 500);
        resp.sendError(code >= 400 && code <= 599 ? (int) code : 500, "demo error");
    }
}
