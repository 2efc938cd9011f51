/** Writing metrics to files for node_exporter's textfile collector; see {@link io.promlet.textfile.TextFile}. */
package io.promlet.textfile;
