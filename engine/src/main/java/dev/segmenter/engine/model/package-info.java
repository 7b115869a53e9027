/**
 * Models: a {@link dev.segmenter.engine.model.ModelCard} is a folder's {@code model.yaml} (classes, palette, input
 * and output tensors, model files, the {@code domain} the model was trained for) read and checked by
 * {@link dev.segmenter.engine.model.ModelCards}; {@link dev.segmenter.engine.model.ModelRegistry} finds models by
 * folder or name (user folders, the shipped models, the catalog) and keeps the shipped ones in a cache folder;
 * {@link dev.segmenter.engine.model.SafeYaml} is the one YAML loader, with limits a hostile file cannot pass.
 */
package dev.segmenter.engine.model;
