/** pytorch backend. */
package dev.segmenter.backend.pytorch;
