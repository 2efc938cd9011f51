package io.promlet.servlet;

import io.promlet.CollectorRegistry;
import io.promlet.scrape.ScrapeHandler;
import io.promlet.internal.SettingSyntax;
import io.promlet.jvm.JvmMetrics;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;

/**
 * Serves a registry to Prometheus: GET and HEAD, in the text format 0.0.4 or OpenMetrics 1.0 as the
 * {@code Accept} header asks, gzip-compressed when the client accepts it, filtered by repeated {@code name[]}
 * parameters, with {@code Cache-Control: no-store}. Other methods get 405; a collector that fails gives a
 * plain-text 500, never a truncated page.
 *
 * <pre>{@code
 * <servlet>
 *   <servlet-name>metrics</servlet-name>
 *   <servlet-class>io.promlet.servlet.MetricsServlet</servlet-class>
 * </servlet>
 * <servlet-mapping>
 *   <servlet-name>metrics</servlet-name>
 *   <url-pattern>/metrics</url-pattern>
 * </servlet-mapping>
 * }</pre>
 *
 * <p>Init-params: {@code registry} names the servlet-context attribute holding the registry (without it, the
 * attribute {@value #REGISTRY_ATTRIBUTE} if set, else {@link CollectorRegistry#defaultScrapeRegistry()}: the default
 * registry, or in the multi-process mode the aggregate of every process); {@code allowed-addresses} lists the
 * client addresses and CIDR networks that may scrape, such as {@code 127.0.0.1, ::1, 10.0.0.0/8}; others get 403
 * (the client address is the one the container reports: behind a proxy, enable its forwarded-header support);
 * {@code jvm-metrics=false} takes the JVM and process metrics of {@link JvmMetrics} out of the served registry,
 * which for the default registry is the way to turn them off.
 *
 * <p>Each init-param {@code <key>} can also be given outside the WAR, as the context-param or system property
 * {@code promlet.<key>}, the environment variable {@code PROMLET_<KEY>} or the key {@code promlet.<key>} of
 * {@code promlet.properties}; the init-param wins (docs/configuration.md lists them all).
 */
public final class MetricsServlet extends HttpServlet {
    /**
     * The servlet-context attribute where {@code MetricsServlet} and {@link MetricsFilter} look for their registry
     * when no init-param names one: set it to a {@link CollectorRegistry} to use that instead of the default one.
     */
    public static final String REGISTRY_ATTRIBUTE = ContextRegistry.ATTRIBUTE;

    /** Who may scrape the {@code /metrics} that {@link AutoRegistration} adds, unless {@code allowed-addresses} is set. */
    static final List<String> LOOPBACK_AND_PRIVATE = List.of("127.0.0.0/8", "::1", "10.0.0.0/8", "172.16.0.0/12",
            "192.168.0.0/16", "169.254.0.0/16", "fc00::/7", "fe80::/10");
    private static final System.Logger LOG = System.getLogger(MetricsServlet.class.getName());

    private final transient CollectorRegistry preset;
    private final boolean automatic;
    private transient ScrapeHandler handler;
    private transient AddressAllowList allowed;
    /** The one line a refused client reads. */
    private transient String refusal;

    /** The servlet as {@code web.xml} declares it: configured by its init-params. */
    public MetricsServlet() {
        this.preset = null;
        this.automatic = false;
    }

    private MetricsServlet(boolean automatic) {
        this.preset = null;
        this.automatic = automatic;
    }

    /** The servlet {@link AutoRegistration} adds: loopback and private networks only, unless configured otherwise. */
    static MetricsServlet automatic() {
        return new MetricsServlet(true);
    }

    /** A servlet serving this registry, for {@code ServletContext.addServlet}; the other init-params still apply. */
    public MetricsServlet(CollectorRegistry registry) {
        this.preset = Objects.requireNonNull(registry, "registry");
        this.automatic = false;
    }

    /**
     * Reads the init-params.
     *
     * @throws ServletException if one is malformed or the {@code registry} attribute is missing
     */
    @Override
    public void init() throws ServletException {
        String owner = "MetricsServlet " + getServletName();
        try {
            Settings params = Settings.of(getServletContext()).withInitParams(owner, getInitParameterNames(),
                    this::getInitParameter, Settings.SERVLET_KEYS);
            CollectorRegistry registry = preset != null ? preset
                    : ContextRegistry.find(getServletContext(), params.string("registry"),
                            CollectorRegistry.defaultScrapeRegistry());
            allowed = params.parsed("allowed-addresses", v -> AddressAllowList.parse(SettingSyntax.list(v)));
            refusal = "Forbidden: this address may not read the metrics.\n";
            if (allowed == null && automatic) {
                allowed = AddressAllowList.parse(LOOPBACK_AND_PRIVATE);
                refusal = "Forbidden: these metrics answer loopback and private networks only; set "
                        + "promlet.allowed-addresses to allow others.\n";
            }
            if (Boolean.FALSE.equals(params.bool("jvm-metrics"))) {
                JvmMetrics.unregisterFrom(registry);
            }
            handler = new ScrapeHandler(registry);
        } catch (IllegalArgumentException e) {
            throw new ServletException(owner + ": " + e.getMessage(), e);
        }
    }

    /** Serves a scrape; every method comes here, so that the scrape handler answers 405 itself. */
    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        if (allowed != null && !allowed.allows(request.getRemoteAddr())) {
            LOG.log(System.Logger.Level.DEBUG, "MetricsServlet {0}: refused a scrape from {1}", getServletName(),
                    request.getRemoteAddr());
            response.setStatus(HttpServletResponse.SC_FORBIDDEN);
            response.setContentType("text/plain; charset=utf-8");
            response.setHeader("Cache-Control", "no-store");
            response.getOutputStream().write(refusal.getBytes(StandardCharsets.UTF_8));
            return;
        }
        handler.handle(new ServletScrapeExchange(request, response));
    }
}
