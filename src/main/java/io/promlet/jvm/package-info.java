/**
 * The standard JVM and process metrics, registered with the default registry out of the box; see
 * {@link io.promlet.jvm.JvmMetrics}.
 */
package io.promlet.jvm;
