package com.example.orders;

import io.promlet.jaxrs.RouteFilter;
import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.core.Application;

import java.util.Set;

/** The same resources at {@code /listed}, in an application that lists its classes: it adds promlet's filter itself. */
@ApplicationPath("/listed")
public class ListedApplication extends Application {
    @Override
    public Set<Class<?>> getClasses() {
        return Set.of(OrdersResource.class, OrderShippedMapper.class, RouteFilter.class);
    }
}
