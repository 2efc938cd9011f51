package io.promlet.demo;

import io.promlet.servlet.MetricsFilter;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;

/**
 * {@code GET /items/{sku}}: names its own route in the {@link MetricsFilter#ROUTE_ATTRIBUTE} request attribute,
 * as a framework with its own routing would.
 */
public class ItemsServlet extends HttpServlet {
    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        req.setAttribute(MetricsFilter.ROUTE_ATTRIBUTE, "/items/{sku}");
        resp.setContentType("text/plain; charset=utf-8");
        resp.getWriter().write("item " + req.getPathInfo() + "\n");
    }
}
