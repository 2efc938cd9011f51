package io.promlet.model;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class LabelsTest {
    @Test
    void arraysAreCopied() {
        String[] names = {"path", "status"};
        String[] values = {"/", "200"};
        Labels labels = Labels.of(names, values);
        names[0] = "route";
        values[1] = "500";
        assertEquals(Labels.of("path", "/", "status", "200"), labels);
    }

    @Test
    void listsAreCopied() {
        List<String> names = new ArrayList<>(List.of("path", "status"));
        List<String> values = new ArrayList<>(List.of("/", "200"));
        Labels labels = Labels.of(names, values);
        names.set(0, "route");
        values.set(1, "500");
        assertEquals(Labels.of("path", "/", "status", "200"), labels);
    }

    @Test
    void namesAndValuesAreCopied() {
        String[] namesAndValues = {"path", "/", "status", "200"};
        Labels labels = Labels.of(namesAndValues);
        namesAndValues[0] = "route";
        namesAndValues[3] = "500";
        assertEquals("{path=\"/\",status=\"200\"}", labels.toString());
    }

    @Test
    void namesAndValuesMustPair() {
        assertThrows(IllegalArgumentException.class, () -> Labels.of(new String[] {"a"}, new String[0]));
        assertThrows(IllegalArgumentException.class, () -> Labels.of(List.of("a"), List.of()));
        assertThrows(IllegalArgumentException.class, () -> Labels.of("a", "1", "b"));
    }
}
