package com.example.orders;

import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.container.AsyncResponse;
import jakarta.ws.rs.container.Suspended;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Every kind of route the test scrapes: plain, regex, sub-resource, POST, mapped exception, async. */
@Path("/orders")
@Produces(MediaType.TEXT_PLAIN)
public class OrdersResource {

    @GET
    @Path("{id}")
    public String order(@PathParam("id") String id) {
        return "order " + id;
    }

    @GET
    @Path("{id: [0-9]+}/receipt")
    public String receipt(@PathParam("id") String id) {
        return "receipt " + id;
    }

    @POST
    public Response create() {
        return Response.status(Response.Status.CREATED).entity("created").build();
    }

    @DELETE
    @Path("{id}")
    public String cancel(@PathParam("id") String id) {
        throw new OrderShippedException(id);
    }

    @Path("{id}/items")
    public ItemsResource items(@PathParam("id") String id) {
        return new ItemsResource(id);
    }

    /** Answers from another thread 20 ms later. */
    @GET
    @Path("{id}/status")
    public void status(@PathParam("id") String id, @Suspended AsyncResponse response) {
        CompletableFuture.delayedExecutor(20, TimeUnit.MILLISECONDS).execute(() -> response.resume("shipped " + id));
    }
}
