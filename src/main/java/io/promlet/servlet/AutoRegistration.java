package io.promlet.servlet;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.FilterRegistration;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;
import jakarta.servlet.ServletRegistration;

import java.util.EnumSet;

/**
 * Registers {@link MetricsFilter} and {@link MetricsServlet} at {@code /metrics} in a web application that has the
 * promlet jar in {@code WEB-INF/lib}, without a line in its {@code web.xml}: the jar's {@code META-INF/web-fragment.xml}
 * (named {@code promlet}) declares this listener. The filter measures every dispatcher type, supports async requests
 * and comes before the filters of {@code web.xml}; the servlet answers loopback and private-network addresses only,
 * unless {@code promlet.allowed-addresses} says otherwise.
 *
 * <p>An application that declares a {@code MetricsFilter} or {@code MetricsServlet} itself keeps exactly its own: the
 * servlet is not added when the application has one or maps {@code /metrics}, and the filter is not added, or stands
 * down when it starts, when the application has one (registered in {@code web.xml} or in code). The setting
 * {@code promlet.auto-register=false} turns it off, as do a {@code web.xml} with {@code metadata-complete="true"} and
 * an {@code <absolute-ordering>} that does not name {@code promlet}. Not for use in application code.
 */
public final class AutoRegistration implements ServletContextListener {
    /** The name of the filter and of the servlet this adds. */
    static final String NAME = "promlet";
    static final String PATH = "/metrics";

    private static final System.Logger LOG = System.getLogger(AutoRegistration.class.getName());

    /** Made by the container from the web fragment. */
    public AutoRegistration() {
    }

    /**
     * Reads the application's settings and registers what the application does not have.
     *
     * @throws IllegalArgumentException naming the setting, its source and value if one is malformed, which stops
     *                                  the deployment
     */
    @Override
    public void contextInitialized(ServletContextEvent event) {
        ServletContext context = event.getServletContext();
        Settings settings = Settings.of(context);
        if (Boolean.FALSE.equals(settings.bool("auto-register"))) {
            LOG.log(System.Logger.Level.DEBUG, "promlet: auto-register is false, registering nothing");
            return;
        }
        if (context.getFilterRegistrations().values().stream()
                .noneMatch(r -> MetricsFilter.class.getName().equals(r.getClassName()))) {
            FilterRegistration.Dynamic filter = context.addFilter(NAME, MetricsFilter.automatic());
            if (filter != null) {
                filter.setAsyncSupported(true);
                filter.addMappingForUrlPatterns(EnumSet.allOf(DispatcherType.class), false, "/*");
            }
        }
        if (context.getServletRegistrations().values().stream().noneMatch(r ->
                MetricsServlet.class.getName().equals(r.getClassName()) || r.getMappings().contains(PATH))) {
            ServletRegistration.Dynamic servlet = context.addServlet(NAME, MetricsServlet.automatic());
            if (servlet != null) {
                servlet.addMapping(PATH);
            }
        }
    }
}
