package com.example.orders;

import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.core.Application;

/** The application at {@code /api}; it lists no classes, so the runtime finds the resources and providers itself. */
@ApplicationPath("/api")
public class OrdersApplication extends Application {
}
