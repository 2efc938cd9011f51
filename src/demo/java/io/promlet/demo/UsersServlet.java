package io.promlet.demo;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;

/**
 * {@code /users} lists users, {@code /users/{id}} shows one (404 unless the id is a number),
 * {@code /users/{id}/orders} lists their orders. Mapped to {@code /users/*}; the filter's {@code path-patterns}
 * turn the ids into route templates.
 */
public class UsersServlet extends HttpServlet {
    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        String[] parts = req.getPathInfo() == null ? new String[0] : req.getPathInfo().substring(1).split("/", -1);
        resp.setContentType("application/json");
        if (parts.length == 0 || parts.length == 1 && parts[0].isEmpty()) {
            resp.getWriter().write("[{\"id\":1},{\"id\":2}]\n");
        } else if (!parts[0].matches("\\d{1,9}")) {
            resp.sendError(HttpServletResponse.SC_NOT_FOUND, "no such user");
        } else if (parts.length == 1) {
            resp.getWriter().write("{\"id\":" + parts[0] + "}\n");
        } else if (parts.length == 2 && parts[1].equals("orders")) {
            resp.getWriter().write("[]\n");
        } else {
            resp.sendError(HttpServletResponse.SC_NOT_FOUND);
        }
    }
}
