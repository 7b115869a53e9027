/**
 * Image input: {@link dev.segmenter.engine.image.ImageDecoder} reads PNG, JPEG, BMP, GIF, TIFF, WBMP and WebP into
 * {@link dev.segmenter.engine.image.BgrImage} (8-bit BGR, row-major, as OpenCV's {@code Mat}), refusing before any
 * pixel is decoded an image above the pixel limit or too large for the free heap. Alpha is composited over black;
 * gray, 16-bit, indexed and CMYK images are converted; the EXIF orientation is applied
 * ({@link dev.segmenter.engine.image.ExifOrientation}).
 */
package dev.segmenter.engine.image;
