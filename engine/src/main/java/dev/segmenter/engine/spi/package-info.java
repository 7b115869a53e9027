/**
 * What a backend implements: {@link dev.segmenter.engine.spi.Backend} (found by {@link java.util.ServiceLoader};
 * its name, formats, devices and {@link dev.segmenter.engine.spi.Availability}) opens a
 * {@link dev.segmenter.engine.spi.BackendSession} for a {@link dev.segmenter.engine.spi.ModelSource} with
 * {@link dev.segmenter.engine.spi.SessionOptions}. Sessions are {@link java.lang.AutoCloseable} with an idempotent
 * close; {@link dev.segmenter.engine.spi.CallGuard} makes close wait for the calls in flight.
 *
 * <p>A backend over native libraries extends {@link dev.segmenter.engine.spi.NativeBackend}: its
 * {@link dev.segmenter.engine.spi.NativeRuntime} probes the natives once and answers availability, version and
 * devices, and cleans the runtime's error messages ({@link dev.segmenter.engine.ErrorMessages} with the runtime's own
 * rule); the backend adds only how it opens a session.
 */
package dev.segmenter.engine.spi;
