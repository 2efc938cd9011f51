package com.example.shop;

import io.promlet.Counter;

import java.io.IOException;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/** The application's own business metric: orders placed, registered in the default registry that /metrics serves. */
public class OrdersServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    static final Counter ORDERS = Counter.builder().name("shop_orders_total").help("Orders placed.").register();

    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
        ORDERS.inc();
        response.setStatus(HttpServletResponse.SC_CREATED);
        response.setContentType("text/plain;charset=utf-8");
        response.getWriter().println("order placed");
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        response.setContentType("text/plain;charset=utf-8");
        response.getWriter().println("orders so far: " + (long) ORDERS.get());
    }
}
