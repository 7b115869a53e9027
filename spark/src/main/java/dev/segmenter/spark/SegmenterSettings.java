package dev.segmenter.spark;

import dev.segmenter.engine.ConfigException;
import dev.segmenter.engine.Device;
import dev.segmenter.engine.Segmenter;
import dev.segmenter.engine.pipeline.ResizeMode;
import java.io.File;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.apache.spark.SparkFiles;
import org.apache.spark.TaskContext;

/**
 * What makes one {@link Segmenter}: the key of the executor-wide cache ({@link ExecutorSegmenters}), shipped to
 * executors with each task. {@code threads} 0 means the task's CPUs ({@code spark.task.cpus}).
 *
 * @param model a shipped or catalog model's name, a model directory on a path every executor sees, or the name of
 *     a directory shipped with {@code --archives model.zip#NAME} / {@code SparkContext.addFile(dir, true)}
 * @param backend a backend name or {@code auto}
 * @param device {@code cpu} or {@code gpu}
 * @param threads runtime and post-processing threads per task; 0 follows {@code spark.task.cpus}
 * @param resize {@code nearest} or {@code bilinear}
 * @param maxPixels larger images become error rows before they are decoded
 */
public record SegmenterSettings(
    String model, String backend, String device, int threads, String resize, long maxPixels)
    implements Serializable {

  /** This task's settings with {@code threads} resolved (the task's CPUs when 0). */
  SegmenterSettings forThisTask() {
    if (threads > 0) {
      return this;
    }
    TaskContext task = TaskContext.get();
    return new SegmenterSettings(
        model, backend, device, task == null ? 1 : Math.max(1, task.cpus()), resize, maxPixels);
  }

  /** Opens the segmenter these settings describe (loads the model, opens a backend session). */
  Segmenter open() {
    return Segmenter.builder()
        .model(modelLocation())
        .backend(backend)
        .device(Device.parse(device, "SegmentImages device"))
        .runtimeThreads(threads)
        .postprocessThreads(threads)
        .resize(resizeMode())
        .maxPixels(maxPixels)
        .build();
  }

  ResizeMode resizeMode() {
    try {
      return ResizeMode.valueOf(resize.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new ConfigException("resize '" + resize + "' is not one of nearest, bilinear");
    }
  }

  /**
   * The model as the builder takes it: a directory that exists here, else one Spark shipped to this executor (its
   * working directory for {@code --archives}, {@link SparkFiles} for {@code addFile}), else the name as given
   * (a shipped or catalog model).
   */
  String modelLocation() {
    if (model == null || model.isEmpty() || Files.isDirectory(Path.of(model))) {
      return model;
    }
    try {
      File shipped = new File(SparkFiles.get(model));
      if (shipped.isDirectory()) {
        return shipped.getPath();
      }
    } catch (RuntimeException e) {
      // no SparkContext or SparkEnv here (plain JVM): the name is a model name
    }
    return model;
  }
}
