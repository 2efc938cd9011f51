package io.promlet.monitoring;

/**
 * What Grafana does to a query before sending it to Prometheus: the dashboard's variables ({@code $job},
 * {@code $instance}, {@code $path}) and {@code $__rate_interval} replaced by values.
 */
public final class Substitution {

    private final String job;
    private final String instance;
    private final String path;
    private final String rateInterval;

    private Substitution(String job, String instance, String path, String rateInterval) {
        this.job = job;
        this.instance = instance;
        this.path = path;
        this.rateInterval = rateInterval;
    }

    /** The values: regular expressions for the variables (as their {@code =~} matchers take them), a duration. */
    public static Substitution of(String job, String instance, String path, String rateInterval) {
        return new Substitution(job, instance, path, rateInterval);
    }

    /** The query as Prometheus receives it. */
    public String apply(String query) {
        String filled = query.replace("$__rate_interval", rateInterval).replace("$job", job)
                .replace("$instance", instance).replace("$path", path);
        if (filled.contains("$")) {
            throw new AssertionError("a variable is left in " + filled);
        }
        return filled;
    }
}
