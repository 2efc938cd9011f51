/** A standalone metrics endpoint on the JDK's HTTP server; see {@link io.promlet.httpserver.HTTPServer}. */
package io.promlet.httpserver;
