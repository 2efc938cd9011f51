package io.promlet.servlet;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RouteTemplatesTest {
    private static RouteTemplates compile(String... texts) {
        return RouteTemplates.compile("path-patterns", List.of(texts));
    }

    @Test
    void variableMatchesExactlyOneNonEmptySegment() {
        RouteTemplates t = compile("/users/{id}");
        assertEquals("/users/{id}", t.match("/users/42", null));
        assertNull(t.match("/users", null));
        assertNull(t.match("/users/", null));
        assertNull(t.match("/users/42/", null));
        assertNull(t.match("/users/42/orders", null));
        assertNull(t.match("/userz/42", null));
        assertNull(t.match("/Users/42", null));
    }

    @Test
    void pathIsServletPathPlusPathInfoReadInPlace() {
        RouteTemplates t = compile("/orders/{id}/items/{itemId}");
        assertEquals("/orders/{id}/items/{itemId}", t.match("/orders", "/7/items/9"));
        assertEquals("/orders/{id}/items/{itemId}", t.match("", "/orders/7/items/9"));
        assertEquals("/orders/{id}/items/{itemId}", t.match("/orders/7/items/9", null));
        assertEquals("/orders/{id}/items/{itemId}", t.match("/orders/7/it", "ems/9"));
        assertNull(t.match("/orders", "/7/items"));
    }

    @Test
    void restMatchesAnythingBelowIncludingNothing() {
        RouteTemplates t = compile("/static/**");
        assertEquals("/static/**", t.match("/static", null));
        assertEquals("/static/**", t.match("/static/", null));
        assertEquals("/static/**", t.match("/static/css/app.css", null));
        assertNull(t.match("/staticx/app.css", null));
        assertNull(t.match("/", null));
    }

    @Test
    void rootMatchesOnlyTheContextRoot() {
        RouteTemplates t = compile("/");
        assertEquals("/", t.match("/", null));
        assertEquals("/", t.match("", "/"));
        assertEquals("/", t.match("", null));
        assertNull(t.match("/a", null));
        assertEquals("/**", compile("/**").match("/", null));
        assertEquals("/**", compile("/**").match("/a/b", null));
    }

    @Test
    void mostSpecificTemplateWinsWhateverTheDeclarationOrder() {
        RouteTemplates t = compile("/**", "/users/**", "/users/{id}", "/users/me", "/{section}/me", "/users");
        assertEquals("/users/me", t.match("/users/me", null));
        assertEquals("/users/{id}", t.match("/users/7", null));
        assertEquals("/users/**", t.match("/users/7/orders", null));
        assertEquals("/users", t.match("/users", null));
        assertEquals("/{section}/me", t.match("/teams/me", null));
        assertEquals("/**", t.match("/teams/7", null));
    }

    @Test
    void equallySpecificTemplatesKeepDeclarationOrder() {
        assertEquals("/users/{id}", compile("/users/{id}", "/users/{name}").match("/users/x", null));
        assertEquals("/users/{name}", compile("/users/{name}", "/users/{id}").match("/users/x", null));
    }

    @Test
    void malformedTemplatesAreRejectedNamingSourceAndTemplate() {
        for (String bad : List.of("users/{id}", "/users//x", "/users/", "/**/x", "/users/{id", "/users/a{id}",
                "/users/*", "/users/{}", "")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> compile(bad), bad);
            assertTrue(e.getMessage().startsWith("path-patterns: invalid route template \"" + bad + "\""), e.getMessage());
        }
    }

    @Test
    void noTemplatesMatchNothing() {
        assertTrue(RouteTemplates.NONE.isEmpty());
        assertNull(RouteTemplates.NONE.match("/a", null));
    }
}
