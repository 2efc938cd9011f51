package io.promlet.servlet;

import java.util.concurrent.ConcurrentHashMap;

/**
 * The {@code max-paths} cap: admits the first {@code max} distinct routes and maps every later new one to
 * {@code OTHER}, so a stream of unexpected routes cannot grow the series without bound while the totals
 * still add up. Known routes are looked up without a lock; only admitting a new one takes it.
 */
final class RouteLimit {
    private static final System.Logger LOG = System.getLogger(MetricsFilter.class.getName());

    private final int max;
    private final String filterName;
    private final ConcurrentHashMap<String, String> admitted = new ConcurrentHashMap<>();
    private volatile boolean full;

    RouteLimit(int max, String filterName) {
        this.max = max;
        this.filterName = filterName;
    }

    /** The route itself (the first instance seen, so label lookups hit by identity), or {@code OTHER}. */
    String admit(String route) {
        String known = admitted.get(route);
        if (known != null) {
            return known;
        }
        return full ? RouteResolver.OTHER : admitNew(route);
    }

    private synchronized String admitNew(String route) {
        String known = admitted.get(route);
        if (known != null) {
            return known;
        }
        if (admitted.size() < max) {
            admitted.put(route, route);
            return route;
        }
        if (!full) {
            full = true;
            LOG.log(System.Logger.Level.WARNING, "MetricsFilter {0}: {1} distinct paths reached (max-paths); "
                    + "new paths such as \"{2}\" are counted as path=\"OTHER\". Declare route templates in "
                    + "path-patterns, or raise max-paths.", filterName, max, route);
        }
        return RouteResolver.OTHER;
    }
}
