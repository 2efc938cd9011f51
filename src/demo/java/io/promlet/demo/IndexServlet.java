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
        resp.getWriter().write(
                "promlet demo\n"
                + "  /metrics                  the metrics\n"
                + "  /hello                    fast\n"
                + "  /users, /users/{id}       route templates (path-patterns)\n"
                + "  /items/{sku}              route named by the application\n"
                + "  /slow?ms=300              slow\n"
                + "  /async/complete?delay=200 async, completed from another thread\n"
                + "  /async/timeout?delay=200  async, times out\n"
                + "  /async/error?delay=200    async, fails during the async dispatch\n"
                + "  /fail                     throws\n"
                + "  /send-error?code=404      sendError\n"
                + "  /forward, /forward?to=hello  includes and forwards\n"
                + "  /report.csv               extension mapping\n"
                + "  /static/app.css           static file\n");
    }
}
