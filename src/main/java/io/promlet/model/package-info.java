/**
 * Immutable snapshots of metric families, the hand-off between the instruments that record values and
 * the writers that render them.
 *
 * <p>Every collector, built-in or custom, returns a list of {@link io.promlet.model.MetricFamily}
 * values from {@code collect()}. A family is built once per scrape and is not changed after it is
 * returned. Custom collectors build them with the typed families, Python-client style:
 *
 * <pre>{@code
 * GaugeMetricFamily temperature = new GaugeMetricFamily("room_temperature_celsius", "Temperature.", List.of("room"));
 * temperature.addMetric(List.of("kitchen"), 21.5);
 * return List.of(temperature);
 * }</pre>
 */
package io.promlet.model;
