/** Class colors and labels of the common datasets. No dependencies. */
package dev.segmenter.palettes;
