/**
 * Palette files ({@link dev.segmenter.engine.palette.PaletteFiles}): JSON, YAML and text palettes read, and the JSON
 * form written. The palettes themselves (colors, labels, the datasets' built-ins, the text formats) live in the
 * {@code palettes} module, which has no dependencies; the file forms that need the JSON and YAML libraries are read
 * here, beside the engine's one JSON and one YAML loader, and apart from {@code render}, which draws.
 */
package dev.segmenter.engine.palette;
