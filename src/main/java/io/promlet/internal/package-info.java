/**
 * The engine under the instruments: where values live ({@link io.promlet.internal.ValueStore}, chosen per process by
 * {@link io.promlet.internal.ProcessStore}), the lock-free table of children, and the log-bucket quantile window.
 *
 * <p><b>Not API.</b> These types are public only so that promlet's own packages (the instruments in
 * {@code io.promlet}, the multi-process mode in {@code io.promlet.multiprocess}) can share them; they change without
 * notice and are left out of {@code api/promlet.api}. Nothing here imports the packages above it.
 */
package io.promlet.internal;
