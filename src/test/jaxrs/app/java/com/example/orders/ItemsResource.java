package com.example.orders;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/** A sub-resource: reached through {@link OrdersResource#items}. */
@Produces(MediaType.TEXT_PLAIN)
public class ItemsResource {

    private final String orderId;

    public ItemsResource(String orderId) {
        this.orderId = orderId;
    }

    @GET
    @Path("{itemId}")
    public String item(@PathParam("itemId") String itemId) {
        return "item " + itemId + " of order " + orderId;
    }
}
