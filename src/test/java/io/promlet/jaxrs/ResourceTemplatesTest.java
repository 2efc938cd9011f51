package io.promlet.jaxrs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;

import java.lang.reflect.Method;
import java.util.List;

import org.junit.jupiter.api.Test;

class ResourceTemplatesTest {

    @Path("/orders")
    public static class Orders {
        @POST
        public String create() {
            return "";
        }

        @GET
        @Path("{id}")
        public String get(@PathParam("id") String id) {
            return id;
        }

        @GET
        @Path("{id: [0-9]+}/receipt")
        public String receipt(@PathParam("id") String id) {
            return id;
        }

        @Path("{id}/items")
        public Items items(@PathParam("id") String id) {
            return new Items();
        }

        @Path("{id}/archived-items")
        public Items archived(@PathParam("id") String id) {
            return new Items();
        }

        @Path("{id}/notes")
        public Object notes(@PathParam("id") String id) {
            return new Notes();
        }
    }

    public static class Items {
        @GET
        @Path("/{itemId}/")
        public String item(@PathParam("itemId") String itemId) {
            return itemId;
        }
    }

    public static class Notes {
        @GET
        public String all() {
            return "";
        }
    }

    /** What a CDI container deploys in place of the resource: a subclass without annotations. */
    public static class OrdersProxy extends Orders {
        @Override
        public String get(String id) {
            return id;
        }
    }

    @Path("customers")
    public interface CustomersApi {
        @GET
        @Path("{id}")
        String get(@PathParam("id") String id);
    }

    public static class Customers implements CustomersApi {
        @Override
        public String get(String id) {
            return id;
        }
    }

    private static Method method(Class<?> type, String name) throws NoSuchMethodException {
        for (Method method : type.getMethods()) {
            if (method.getName().equals(name)) {
                return method;
            }
        }
        throw new NoSuchMethodException(name);
    }

    @Test
    void classAndMethodPathsAreJoined() throws Exception {
        assertEquals(List.of("orders/{id}"), ResourceTemplates.candidates(List.of(Orders.class), method(Orders.class, "get")));
        assertEquals(List.of("orders"), ResourceTemplates.candidates(List.of(Orders.class), method(Orders.class, "create")));
        assertEquals(List.of("orders/{id: [0-9]+}/receipt"),
                ResourceTemplates.candidates(List.of(Orders.class), method(Orders.class, "receipt")));
    }

    @Test
    void subResourceLocatorsAreFollowed() throws Exception {
        assertEquals(List.of("orders/{id}/notes"),
                ResourceTemplates.candidates(List.of(Orders.class, Notes.class), method(Notes.class, "all")));
    }

    @Test
    void everyLocatorThatCanReturnTheResourceIsACandidate() throws Exception {
        List<String> candidates = ResourceTemplates.candidates(List.of(Orders.class, Items.class),
                method(Items.class, "item"));
        assertEquals(List.of("orders/{id}/archived-items/{itemId}", "orders/{id}/items/{itemId}",
                "orders/{id}/notes/{itemId}"), candidates.stream().sorted().toList());
    }

    @Test
    void annotationsOfASuperclassOrInterfaceApplyToAnUnannotatedOverride() throws Exception {
        assertEquals(List.of("orders/{id}"),
                ResourceTemplates.candidates(List.of(OrdersProxy.class), OrdersProxy.class.getMethod("get", String.class)));
        assertEquals(List.of("customers/{id}"),
                ResourceTemplates.candidates(List.of(Customers.class), Customers.class.getMethod("get", String.class)));
    }

    @Test
    void aChainWithoutARootResourceHasNoTemplate() throws Exception {
        assertEquals(List.of(), ResourceTemplates.candidates(List.of(Notes.class), method(Notes.class, "all")));
    }
}
