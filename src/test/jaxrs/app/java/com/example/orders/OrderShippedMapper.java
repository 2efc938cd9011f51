package com.example.orders;

import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

/** Maps {@link OrderShippedException} to 409 Conflict. */
@Provider
public class OrderShippedMapper implements ExceptionMapper<OrderShippedException> {
    @Override
    public Response toResponse(OrderShippedException e) {
        return Response.status(Response.Status.CONFLICT).entity(e.getMessage()).build();
    }
}
