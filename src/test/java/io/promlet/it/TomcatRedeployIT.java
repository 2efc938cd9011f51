package io.promlet.it;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.promlet.tools.RealTools;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Deploys the reference WAR into a standalone Tomcat 11, sends it every kind of request, and undeploys it, several
 * times over; each deployment starts counting from zero. Afterwards nothing of the web application may be left in
 * the Tomcat process: no class loader, no class, no thread, and no leak warning from Tomcat itself (which reports
 * threads still running with the web application's context class loader, uncleared ThreadLocals and unregistered
 * drivers when it stops the application).
 */
class TomcatRedeployIT {

    private static final int ROUNDS = 3;
    private static final String PROBE_PATH = "/metrics";
    private static final String WEBAPP_LOADER = "org.apache.catalina.loader.ParallelWebappClassLoader";
    private static final Duration UNDEPLOY_TIMEOUT = Duration.ofSeconds(60);
    /** What Tomcat logs when a stopped web application leaves something behind. */
    private static final List<String> LEAK_WARNINGS = List.of(
            "failed to stop it", "memory leak", "failed to remove it", "failed to unregister it");

    @Test
    void undeployingLeavesNoClassLoaderClassOrThread(@TempDir Path base) throws Exception {
        Path jcmdExecutable = RealTools.require(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString());
        try (StandaloneContainer tomcat = StandaloneContainer.startEmpty(StandaloneContainer.Kind.TOMCAT_11, base)) {
            Jcmd jcmd = new Jcmd(jcmdExecutable, tomcat.process().pid(), base);
            Path expanded = base.resolve("webapps").resolve(StandaloneContainer.CONTEXT_PATH.substring(1));

            for (int round = 1; round <= ROUNDS; round++) {
                tomcat.deployWar();
                tomcat.awaitStatus(PROBE_PATH, 200);
                // Every code path of the filter and the metrics servlet runs, async and failing requests included.
                ScriptedRequests script = ScriptedRequests.everyEndpoint();
                script.sendTo(tomcat);
                tomcat.process().await("the scripted requests counted", UNDEPLOY_TIMEOUT,
                        () -> ScriptedRequests.scraped(tomcat.get(PROBE_PATH, "text/plain").body(),
                                "http_requests_total"),
                        script.expectedRequestCounts()::equals);
                // Requests with a sampled trace: the filter makes it the thread's trace (a thread-local) while it
                // runs them, synchronously and async, and it must leave nothing behind either.
                String traceId = String.format("%032x", round);
                for (String path : List.of("/hello", "/async/complete?delay=20")) {
                    assertEquals(200, tomcat.get(path, "*/*", "traceparent",
                            "00-" + traceId + "-00f067aa0ba902b7-01").statusCode(), path);
                }
                String openMetrics = tomcat.get(PROBE_PATH, "application/openmetrics-text;version=1.0.0").body();
                assertEquals(2, count(openMetrics, "trace_id=\"" + traceId + "\""),
                        "exemplars of the traced requests on the request counter:\n" + openMetrics);
                Map<String, Long> deployed = jcmd.liveInstances();
                // The checks below must be able to see the application while it is there.
                assertEquals(1L, deployed.getOrDefault(WEBAPP_LOADER, 0L),
                        "web application class loaders while deployed (more than one: an earlier deployment leaked)");
                assertTrue(deployed.keySet().stream().anyMatch(TomcatRedeployIT::isPromletClass),
                        "promlet instances visible while deployed: " + deployed.keySet());

                tomcat.removeWar();
                tomcat.awaitStatus(PROBE_PATH, 404);
                // Tomcat deletes the unpacked directory after it has stopped and removed the context.
                tomcat.process().await("removal of " + expanded, UNDEPLOY_TIMEOUT,
                        () -> Files.exists(expanded), exists -> !exists);
            }

            Map<String, Long> afterwards = tomcat.process().await("web application class loaders to be collected",
                    UNDEPLOY_TIMEOUT, jcmd::liveInstances, instances -> !instances.containsKey(WEBAPP_LOADER));
            List<String> loadedPromletClasses = jcmd.run("VM.classloaders", "show-classes").lines()
                    .filter(line -> line.contains("io.promlet.")).toList();
            List<String> threads = jcmd.threadNames();
            // The console output has each line once; the log files repeat it.
            String console = tomcat.process().log();
            String logs = tomcat.logs();
            assertAll(
                    () -> assertEquals(ROUNDS, count(console, "Deployment of web application archive"), "deployments"),
                    () -> assertEquals(ROUNDS, count(console, "Undeploying context [" + StandaloneContainer.CONTEXT_PATH
                            + "]"), "undeployments"),
                    () -> assertEquals(List.of(), afterwards.keySet().stream()
                            .filter(TomcatRedeployIT::isPromletClass).toList(), "promlet instances left"),
                    () -> assertEquals(List.of(), loadedPromletClasses, "promlet classes still loaded"),
                    () -> assertEquals(List.of(), threads.stream()
                            .filter(name -> name.toLowerCase().contains("promlet")).toList(), "promlet threads"),
                    () -> assertEquals(List.of(), logs.lines()
                            .filter(line -> LEAK_WARNINGS.stream().anyMatch(line::contains)).distinct().toList(),
                            "Tomcat's leak warnings"));
        }
    }

    private static boolean isPromletClass(String className) {
        return className.startsWith("io.promlet.");
    }

    private static long count(String text, String phrase) {
        return Pattern.compile(Pattern.quote(phrase)).matcher(text).results().count();
    }
}
