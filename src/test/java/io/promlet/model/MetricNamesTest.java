package io.promlet.model;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MetricNamesTest {
    @Test
    void knownNames() {
        for (String valid : List.of("a", "_", "http_requests_total", "job:rate5m", "A1_b2", ":x")) {
            assertTrue(MetricNames.isValidMetricName(valid), valid);
        }
        for (String invalid : List.of("", "1a", "a-b", "a b", "é", "a.b", "a\u0000")) {
            assertFalse(MetricNames.isValidMetricName(invalid), invalid);
        }
        assertFalse(MetricNames.isValidMetricName(null));
        assertFalse(MetricNames.isValidLabelName(null));
        assertFalse(MetricNames.isValidLabelName("job:rate"));
        assertFalse(MetricNames.isValidLabelName(":x"));
        assertTrue(MetricNames.isValidLabelName("__name__"));
    }

    @Test
    void agreesWithTheRegularExpressionsOfTheSpecification() {
        String alphabet = "aZ_:09-.é\u00ff ";
        SplittableRandom random = new SplittableRandom(3);
        for (int n = 0; n < 20_000; n++) {
            StringBuilder name = new StringBuilder();
            for (int i = random.nextInt(4); i >= 0; i--) {
                name.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            String s = name.toString();
            assertEquals(s.matches("[a-zA-Z_:][a-zA-Z0-9_:]*"), MetricNames.isValidMetricName(s), s);
            assertEquals(s.matches("[a-zA-Z_][a-zA-Z0-9_]*"), MetricNames.isValidLabelName(s), s);
        }
    }
}
