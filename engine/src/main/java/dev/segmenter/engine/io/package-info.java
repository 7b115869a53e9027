/**
 * The project's JSON ({@link dev.segmenter.engine.io.Json}): Jackson configured once for everything written and
 * read as JSON. YAML is read by {@link dev.segmenter.engine.model.SafeYaml} with the same limits, and every file is
 * written atomically through {@link dev.segmenter.engine.render.OutputFiles}.
 */
package dev.segmenter.engine.io;
