package io.promlet.demo;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;

/** The context root: lists the demo endpoints. */
public class IndexServlet extends HttpServlet {
    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        resp.setContentType("text/plain; charset=utf-8");
        resp.getWriter().write("""
                promlet demo
                  /metrics                  the metrics
                  /hello                    fast
                  /users, /users/{id}       route templates (path-patterns)
                  /items/{sku}              route named by the application
                  /slow?ms=300              slow
                  /async/complete?delay=200 async, completed from another thread
                  /async/timeout?delay=200  async, times out
                  /async/error?delay=200    async, fails during the async dispatch
                  /fail                     throws
                  /send-error?code=404      sendError
                  /forward, /forward?to=hello  includes and forwards
                  /report.csv               extension mapping
                  /static/app.css           static file
                """);
    }
}
