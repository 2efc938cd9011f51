package io.promlet.jaxrs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class PathTemplateTest {

    @Test
    void labelDropsParameterRegexesAndBlanks() {
        assertEquals("orders/{id}", PathTemplate.label("orders/{id: [0-9]+}"));
        assertEquals("orders/{id}", PathTemplate.label("orders/{ id }"));
        assertEquals("orders/{id}", PathTemplate.label("orders/{id:\\d+}"));
        assertEquals("{a}-{b}.json", PathTemplate.label("{a : [a-z]+}-{b}.json"));
    }

    @Test
    void labelKeepsBracesInsideARegexWithTheirParameter() {
        assertEquals("codes/{code}/x", PathTemplate.label("codes/{code: [a-z]{2}}/x"));
        assertEquals("{v}", PathTemplate.label("{v: (a{1,2}|b{3})}"));
    }

    @Test
    void labelTrimsSlashesAndLeavesLiteralsAlone() {
        assertEquals("orders", PathTemplate.label("/orders/"));
        assertEquals("", PathTemplate.label("/"));
        assertEquals("a/b", PathTemplate.label("a/b"));
        assertEquals("a/{unclosed", PathTemplate.label("a/{unclosed"));
    }

    @Test
    void joinPutsOneSlashBetweenNonEmptyParts() {
        assertEquals("orders/{id}/items", PathTemplate.join("/orders/", "/{id}", "items/"));
        assertEquals("orders", PathTemplate.join("orders", "", "/"));
        assertEquals("", PathTemplate.join("/", ""));
    }

    @Test
    void patternMatchesWhatTheTemplateMatches() {
        assertTrue(PathTemplate.pattern("orders/{id: [0-9]+}/lines").matcher("orders/42/lines").matches());
        assertTrue(PathTemplate.pattern("orders/{id: [0-9]+}/lines").matcher("orders/42/lines/").matches());
        assertFalse(PathTemplate.pattern("orders/{id: [0-9]+}/lines").matcher("orders/x/lines").matches());
        assertTrue(PathTemplate.pattern("orders/{id}").matcher("orders/x").matches());
        assertFalse(PathTemplate.pattern("orders/{id}").matcher("orders/x/y").matches());
        assertFalse(PathTemplate.pattern("a.b/{id}").matcher("aXb/1").matches());
        assertTrue(PathTemplate.pattern("codes/{c: [a-z]{2}}").matcher("codes/ab").matches());
        assertFalse(PathTemplate.pattern("codes/{c: [a-z]{2}}").matcher("codes/abc").matches());
    }
}
