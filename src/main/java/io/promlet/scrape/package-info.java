/**
 * Answering a scrape over HTTP, whatever the transport: {@link io.promlet.scrape.ScrapeHandler} (methods, format
 * negotiation, {@code name[]}, gzip, {@code Cache-Control}, errors) over a {@link io.promlet.scrape.ScrapeExchange}
 * that each transport ({@code io.promlet.servlet}, {@code io.promlet.httpserver}) implements. The formats it writes
 * live in {@code io.promlet.exposition}, which knows nothing of HTTP.
 */
package io.promlet.scrape;
