/** opencv backend. */
package dev.segmenter.backend.opencv;
