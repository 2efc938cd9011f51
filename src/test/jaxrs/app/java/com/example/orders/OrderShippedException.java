package com.example.orders;

/** A shipped order cannot be cancelled; {@link OrderShippedMapper} answers 409. */
public class OrderShippedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public OrderShippedException(String id) {
        super("order " + id + " has shipped");
    }
}
