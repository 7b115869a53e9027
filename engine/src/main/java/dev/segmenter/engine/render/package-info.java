/**
 * Pictures and files made from a class map, all at the input image's size: {@link
 * dev.segmenter.engine.render.ColorMap} (exact palette colors), {@link dev.segmenter.engine.render.Overlay},
 * {@link dev.segmenter.engine.render.ClassStats}, {@link dev.segmenter.engine.render.Legend}, the four-panel
 * {@link dev.segmenter.engine.render.Report}, {@link dev.segmenter.engine.render.Masks} and {@link
 * dev.segmenter.engine.render.Cutout}, PNG writing and reading ({@link dev.segmenter.engine.render.PngOutputs})
 * and the project's atomic writes ({@link dev.segmenter.engine.render.OutputFiles}: every file it writes goes
 * through them). Palette files are read in {@link dev.segmenter.engine.palette}.
 *
 * <p>Pixel work goes through the engine's {@code PaletteKernel} and {@code BlendKernel}, passed in by the caller.
 * Text is drawn with Java2D's logical SansSerif font, antialiased; a headless JVM needs a font installed
 * (fontconfig and e.g. DejaVu).
 */
package dev.segmenter.engine.render;
