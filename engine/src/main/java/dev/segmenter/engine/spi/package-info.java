/**
 * What a backend implements: {@link dev.segmenter.engine.spi.Backend} (found by {@link java.util.ServiceLoader};
 * its name, formats, devices and {@link dev.segmenter.engine.spi.Availability}) opens a
 * {@link dev.segmenter.engine.spi.BackendSession} for a {@link dev.segmenter.engine.spi.ModelSource} with
 * {@link dev.segmenter.engine.spi.SessionOptions}. Sessions are {@link java.lang.AutoCloseable} with an idempotent
 * close; {@link dev.segmenter.engine.spi.CallGuard} makes close wait for the calls in flight.
 */
package dev.segmenter.engine.spi;
