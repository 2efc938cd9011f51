package io.promlet.jaxrs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.junit.jupiter.api.Test;

class RouteFilterTest {

    @Test
    void ofSeveralLocatorsTheOneWhosePathMatchesIsChosen() {
        List<String> candidates = List.of("orders/{id}/items/{itemId}", "orders/{id}/archived-items/{itemId}");
        assertEquals("orders/{id}/archived-items/{itemId}", RouteFilter.matching(candidates, "/orders/7/archived-items/3"));
        assertEquals("orders/{id}/items/{itemId}", RouteFilter.matching(candidates, "orders/7/items/3"));
        assertEquals("orders/{id}/items/{itemId}", RouteFilter.matching(candidates, "elsewhere"));
    }
}
