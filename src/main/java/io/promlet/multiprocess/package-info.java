/**
 * The multi-process mode: several JVMs of one scrape target keep their values in memory-mapped files of a shared
 * directory, and the process that answers a scrape merges them. Applications use {@link
 * io.promlet.multiprocess.MultiProcess} (turn the mode on, clean up, the command line) and {@link
 * io.promlet.multiprocess.MultiProcessCollector} (serve the merged values); everything else here is the mode's
 * engine: the file format ({@code ValueFile}), the directory with its locks and compaction ({@code
 * SharedDirectory}), the store that instruments write through ({@code MappedValueStore}), how each kind of file
 * merges ({@code FileKind}) and how native histogram buckets are keyed ({@code NativeBucketKey}).
 */
package io.promlet.multiprocess;
