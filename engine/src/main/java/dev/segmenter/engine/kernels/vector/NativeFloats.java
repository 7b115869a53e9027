package dev.segmenter.engine.kernels.vector;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vector loads of floats straight from native memory (a direct buffer in native byte order: a runtime's output),
 * with whichever method this JDK's Vector API has: {@code FloatVector.fromByteBuffer} on JDK 16-19,
 * {@code FloatVector.fromMemorySegment} over {@code MemorySegment.ofBuffer} from JDK 22 (where the memory API is
 * final). The code is compiled for Java 17 and runs on both, so it can name neither method: each is looked up once
 * and held in a {@code static final} {@link MethodHandle}, which the JIT treats as a constant and inlines like a
 * direct call (the loads then compile to the same vector instructions as {@code fromArray}). Where neither is
 * found (JDK 20-21, where the memory API is a preview) {@link #AVAILABLE} is false and the kernels stage the scores
 * into an array block by block instead.
 */
final class NativeFloats {

  /** {@code (Object source, long byteOffset) FloatVector}, the species and byte order bound; null if unavailable. */
  private static final MethodHandle LOAD;

  /** {@code (ByteBuffer) Object}: what {@link #LOAD} reads (the buffer itself, or a memory segment over it). */
  private static final MethodHandle SOURCE;

  /** Whether this JDK offers one of the two loads (then {@link #load} and {@link #source} work). */
  static final boolean AVAILABLE;

  /** How the loads are made, for the start-up log line and the benchmarks' records. */
  static final String HOW;

  static {
    VectorSpecies<Float> species = VectorSupport.FLOATS;
    MethodHandle load = null;
    MethodHandle source = null;
    String how;
    MethodHandles.Lookup lookup = MethodHandles.publicLookup();
    MethodType generic = MethodType.methodType(FloatVector.class, Object.class, long.class);
    try {
      if (Runtime.version().feature() >= 22) {
        Class<?> segment = Class.forName("java.lang.foreign.MemorySegment");
        MethodHandle from = lookup.findStatic(
            FloatVector.class,
            "fromMemorySegment",
            MethodType.methodType(
                FloatVector.class, VectorSpecies.class, segment, long.class, ByteOrder.class));
        load = bind(from, species, generic);
        source = lookup
            .findStatic(segment, "ofBuffer", MethodType.methodType(segment, java.nio.Buffer.class))
            .asType(MethodType.methodType(Object.class, ByteBuffer.class));
        how = "FloatVector.fromMemorySegment";
      } else {
        MethodHandle from = lookup.findStatic(
            FloatVector.class,
            "fromByteBuffer",
            MethodType.methodType(
                FloatVector.class,
                VectorSpecies.class,
                ByteBuffer.class,
                int.class,
                ByteOrder.class));
        load = bind(from, species, generic);
        source = MethodHandles.identity(ByteBuffer.class)
            .asType(MethodType.methodType(Object.class, ByteBuffer.class));
        how = "FloatVector.fromByteBuffer";
      }
    } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
      load = null;
      source = null;
      how = "staged through an array (no vector load from native memory on Java "
          + Runtime.version().feature() + ": " + e.getClass().getSimpleName() + ")";
    }
    if (Boolean.getBoolean("segmenter.argmax.stage")) {
      load = null;
      source = null;
      how = "staged through an array (-Dsegmenter.argmax.stage=true)";
    }
    LOAD = load;
    SOURCE = source;
    AVAILABLE = load != null;
    HOW = how;
  }

  private NativeFloats() {}

  /**
   * {@code from(species, source, offset, nativeOrder)} as {@code (Object, long) FloatVector}: the species and
   * the order bound, the source widened to Object and the offset to long (narrowed back to int for
   * {@code fromByteBuffer}: callers keep offsets within a buffer, below 2 GB).
   */
  private static MethodHandle bind(
      MethodHandle from, VectorSpecies<Float> species, MethodType generic) {
    MethodHandle bound = MethodHandles.insertArguments(from, 0, species);
    bound = MethodHandles.insertArguments(bound, 2, ByteOrder.nativeOrder());
    return MethodHandles.explicitCastArguments(bound, generic);
  }

  /** What {@link #load} reads for {@code buffer} (a direct buffer; its position and limit are ignored). */
  static Object source(ByteBuffer buffer) {
    try {
      return (Object) SOURCE.invokeExact(buffer);
    } catch (RuntimeException | Error e) {
      throw e;
    } catch (Throwable e) {
      throw new IllegalStateException(e);
    }
  }

  /** The vector of floats at {@code byteOffset} in {@code source} (from {@link #source}), in native order. */
  static FloatVector load(Object source, long byteOffset) {
    try {
      return (FloatVector) LOAD.invokeExact(source, byteOffset);
    } catch (RuntimeException | Error e) {
      throw e;
    } catch (Throwable e) {
      throw new IllegalStateException(e);
    }
  }
}
