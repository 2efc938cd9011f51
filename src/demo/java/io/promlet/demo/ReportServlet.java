package io.promlet.demo;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;

/** Any {@code *.csv} path: an extension mapping, labelled {@code *.csv}. */
public class ReportServlet extends HttpServlet {
    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        resp.setContentType("text/csv; charset=utf-8");
        resp.getWriter().write("report,path\ndemo," + req.getServletPath() + "\n");
    }
}
