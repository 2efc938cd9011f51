/**
 * Pushing to a Prometheus Pushgateway: {@link io.promlet.push.PushGateway} for batch jobs, and its
 * {@link io.promlet.push.PeriodicPusher} for long-running workers that serve no HTTP.
 */
package io.promlet.push;
