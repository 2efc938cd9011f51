package io.promlet.monitoring;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Set;

import org.junit.jupiter.api.Test;

class PromQlNamesTest {

    @Test
    void findsSelectedNamesButNotFunctionsLabelsValuesOrDurations() {
        assertEquals(Set.of("http_requests_total"), PromQlNames.of(
                "sum by (job, path) (rate(http_requests_total{status=~\"5..\", path=\"up\"}[5m] offset 1m))"));
    }

    @Test
    void findsBareSelectorsOnBothSidesOfAnOperator() {
        assertEquals(Set.of("up", "job:errors:ratio_rate1h", "promlet:objective:ratio"), PromQlNames.of(
                "up == 0 and on (job, instance) job:errors:ratio_rate1h > 14.4 * (1 - scalar(promlet:objective:ratio))"));
    }

    @Test
    void keepsANameThatLooksLikeAKeywordWhenItIsSelected() {
        assertEquals(Set.of("sum_total", "le"), PromQlNames.of("sum(sum_total) / le{x=\"1e3\"} > 1e3"));
    }
}
