package io.promlet.servlet;

import java.util.ArrayList;
import java.util.List;

/**
 * An ordered set of {@link RouteTemplate}s, most specific first, so that the first match is the most
 * specific one: of {@code /users/me}, {@code /users/{id}} and {@code /users/**}, the path {@code /users/me}
 * gets {@code /users/me} and {@code /users/7} gets {@code /users/{id}}.
 */
final class RouteTemplates {
    static final RouteTemplates NONE = new RouteTemplates(new RouteTemplate[0]);

    private final RouteTemplate[] templates;

    private RouteTemplates(RouteTemplate[] templates) {
        this.templates = templates;
    }

    /**
     * Compiles the templates.
     *
     * @param source where they come from, such as {@code path-patterns}, for error messages
     * @throws IllegalArgumentException if one is malformed
     */
    static RouteTemplates compile(String source, List<String> texts) {
        List<RouteTemplate> compiled = new ArrayList<>(texts.size());
        for (String text : texts) {
            compiled.add(RouteTemplate.compile(source, text));
        }
        compiled.sort(RouteTemplate::compareSpecificity);
        return new RouteTemplates(compiled.toArray(new RouteTemplate[0]));
    }

    /** The text of the most specific template matching {@code head + tail} (either may be null), or null. */
    String match(String head, String tail) {
        String h = head == null ? "" : head;
        for (RouteTemplate t : templates) {
            if (t.matches(h, tail)) {
                return t.text();
            }
        }
        return null;
    }

    boolean isEmpty() {
        return templates.length == 0;
    }
}
