package io.promlet.demo;

import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;

/** {@code GET /forward} includes {@code /hello} twice, then {@code /forward?to=hello} forwards to it. */
public class ForwardServlet extends HttpServlet {
    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws ServletException, IOException {
        if ("hello".equals(req.getParameter("to"))) {
            req.getRequestDispatcher("/hello").forward(req, resp);
            return;
        }
        resp.setContentType("text/plain; charset=utf-8");
        req.getRequestDispatcher("/hello").include(req, resp);
        req.getRequestDispatcher("/hello").include(req, resp);
    }
}
