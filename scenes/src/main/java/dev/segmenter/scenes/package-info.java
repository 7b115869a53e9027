/**
 * The procedural street-scene generator: {@link dev.segmenter.scenes.StreetScene} draws a dash-cam picture and its
 * exact Cityscapes train-id labels as a pure function of {@code (seed, width, height)}; {@link
 * dev.segmenter.scenes.SceneWriter} writes numbered batches of them as PNG pairs (the training and evaluation data of
 * the shipped {@code enet-streets} model, see {@code models/recipes/enet/README.md}).
 */
package dev.segmenter.scenes;
