package io.promlet.servlet;

import io.promlet.CollectorRegistry;
import jakarta.servlet.ServletContext;

/**
 * Finds the registry of a filter or servlet configured in {@code web.xml}: the servlet-context attribute
 * named by the {@code registry} init-param, else the attribute {@value #ATTRIBUTE} if an application set it,
 * else a fallback: the default registry for the filter, which records into it, and for the servlet the registry
 * it scrapes by default (in the multi-process mode, the aggregate of every process).
 */
final class ContextRegistry {
    static final String ATTRIBUTE = "io.promlet.CollectorRegistry";

    private ContextRegistry() {
    }

    /**
     * @param attribute the attribute named by an init-param, or null to look at {@value #ATTRIBUTE} only
     * @param fallback  the registry when neither attribute is set
     * @throws IllegalArgumentException if a named attribute is missing, or an attribute is not a registry
     */
    static CollectorRegistry find(ServletContext context, String attribute, CollectorRegistry fallback) {
        String name = attribute != null ? attribute : ATTRIBUTE;
        Object value = context.getAttribute(name);
        if (value instanceof CollectorRegistry) {
            return (CollectorRegistry) value;
        }
        if (value != null) {
            // Typically a promlet jar both in the container and in the application, seen by two class loaders.
            throw new IllegalArgumentException("servlet-context attribute " + name + " holds a "
                    + value.getClass().getName() + " from " + value.getClass().getClassLoader()
                    + ", not a " + CollectorRegistry.class.getName() + " from " + CollectorRegistry.class.getClassLoader());
        }
        if (attribute != null) {
            throw new IllegalArgumentException("init-param registry: servlet-context attribute \"" + name
                    + "\" is not set; set it (e.g. in a ServletContextListener) before the filters and servlets start");
        }
        return fallback;
    }
}
