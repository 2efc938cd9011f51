package io.promlet;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class InfoStateSetTest {
    private final CollectorRegistry registry = new CollectorRegistry();

    @Test
    void infoExposesItsLabelsOnAConstantOne() {
        Info build = Info.builder().name("build_info").help("Build.").register(registry);
        build.info("version", "1.2.3", "commit", "abc");
        assertEquals("build", build.name());
        assertEquals(1.0, registry.getSampleValue("build_info", new String[] {"version", "commit"}, new String[] {"1.2.3", "abc"}));
        build.info("version", "1.2.4");
        assertNull(registry.getSampleValue("build_info", new String[] {"version", "commit"}, new String[] {"1.2.3", "abc"}));
        assertEquals(1.0, registry.getSampleValue("build_info", new String[] {"version"}, new String[] {"1.2.4"}));
    }

    @Test
    void stateSetStartsInTheFirstStateAndSwitches() {
        StateSet task = StateSet.builder().name("task_state").help("State.").labelNames("task")
                .states("starting", "running", "stopped").register(registry);
        String[] names = {"task", "task_state"};
        task.labels("a");
        assertEquals(1.0, registry.getSampleValue("task_state", names, new String[] {"a", "starting"}));
        assertEquals(0.0, registry.getSampleValue("task_state", names, new String[] {"a", "running"}));
        task.labels("a").state("running");
        assertEquals(0.0, registry.getSampleValue("task_state", names, new String[] {"a", "starting"}));
        assertEquals(1.0, registry.getSampleValue("task_state", names, new String[] {"a", "running"}));
        assertEquals(0.0, registry.getSampleValue("task_state", names, new String[] {"a", "stopped"}));
    }
}
