package io.crema.transport.aeron;

import io.aeron.driver.Configuration;
import io.aeron.driver.MediaDriver;
import io.aeron.driver.ThreadingMode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Supplier;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.IdleStrategy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An Aeron media driver embedded in this process, to be shared by every node (every {@link
 * AeronTransport}) in it: pass {@link #aeronDirectoryName()} to each transport's config. Defaults
 * suit a small shared machine: one thread for all driver duties ({@link ThreadingMode#SHARED}), a
 * backoff idle strategy (spin, yield, then park up to 1 ms: never a busy spin), a 1 MiB counters
 * buffer, sparse term files, and a fresh directory deleted on close.
 */
public final class EmbeddedMediaDriver implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedMediaDriver.class);

  /** Default counters buffer (Aeron's minimum; its default is 8 MiB). */
  public static final int DEFAULT_COUNTERS_BUFFER_BYTES = 1 << 20;

  private final MediaDriver driver;
  private final String directory;

  private EmbeddedMediaDriver(MediaDriver driver, String directory) {
    this.driver = driver;
    this.directory = directory;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** A driver with every default, in a new temporary directory. */
  public static EmbeddedMediaDriver launch() {
    return builder().build();
  }

  /** The directory transports connect to. */
  public String aeronDirectoryName() {
    return directory;
  }

  /** Stops the driver (transports using it must be closed first) and deletes its directory. */
  @Override
  public void close() {
    driver.close();
    LOG.info("media driver in {} stopped", directory);
  }

  /**
   * The driver's default idle strategy with a chosen longest park: Aeron's own back-off (10 spins,
   * 20 yields, then parks from 1 µs up to {@code maxParkNs}). Each spin or yield runs a whole duty
   * cycle, a receive call on every socket the driver polls; 100 spins after every piece of work
   * (what this class used before) cost the cache benchmark about 8% more CPU per put on 2 cores.
   */
  public static IdleStrategy backoff(long maxParkNs) {
    return new BackoffIdleStrategy(
        Configuration.IDLE_MAX_SPINS,
        Configuration.IDLE_MAX_YIELDS,
        Configuration.IDLE_MIN_PARK_NS,
        maxParkNs);
  }

  /** Settings of an embedded driver; {@link #build()} launches it. */
  public static final class Builder {
    private Path directory;
    private ThreadingMode threadingMode = ThreadingMode.SHARED;
    private Supplier<IdleStrategy> idleStrategy = () -> backoff(1_000_000);
    private int countersBufferBytes = DEFAULT_COUNTERS_BUFFER_BYTES;
    private boolean deleteOnClose = true;

    private Builder() {}

    /** The driver directory (created; emptied if it exists). Default: a new temp directory. */
    public Builder directory(Path v) {
      if (v == null) {
        throw new IllegalArgumentException("directory must not be null");
      }
      directory = v;
      return this;
    }

    /** Driver threading. Default {@link ThreadingMode#SHARED} (one thread). */
    public Builder threadingMode(ThreadingMode v) {
      if (v == null || v == ThreadingMode.INVOKER) {
        throw new IllegalArgumentException(
            "threadingMode must be SHARED, SHARED_NETWORK or DEDICATED, was " + v);
      }
      threadingMode = v;
      return this;
    }

    /** Makes the idle strategy of each driver thread. Default: backoff, parking up to 1 ms. */
    public Builder idleStrategy(Supplier<IdleStrategy> v) {
      if (v == null) {
        throw new IllegalArgumentException("idleStrategy must not be null");
      }
      idleStrategy = v;
      return this;
    }

    /** Counters values buffer: a power of two, at least 1 MiB. Default 1 MiB. */
    public Builder countersBufferBytes(int v) {
      if (v < (1 << 20) || Integer.bitCount(v) != 1) {
        throw new IllegalArgumentException(
            "countersBufferBytes must be a power of two >= 1 MiB, was " + v);
      }
      countersBufferBytes = v;
      return this;
    }

    /** Whether close deletes the directory. Default true. */
    public Builder deleteOnClose(boolean v) {
      deleteOnClose = v;
      return this;
    }

    /**
     * Launches the driver.
     *
     * @throws UncheckedIOException if the temporary directory cannot be made
     * @throws io.aeron.exceptions.AeronException if the driver cannot start
     */
    public EmbeddedMediaDriver build() {
      Path dir = directory;
      if (dir == null) {
        try {
          dir = Files.createTempDirectory("crema-aeron-");
        } catch (IOException e) {
          throw new UncheckedIOException("cannot create a directory for the media driver", e);
        }
      }
      MediaDriver.Context ctx =
          new MediaDriver.Context()
              .aeronDirectoryName(dir.toString())
              .threadingMode(threadingMode)
              .counterValuesBufferLength(countersBufferBytes)
              .termBufferSparseFile(true)
              .dirDeleteOnStart(true)
              .dirDeleteOnShutdown(deleteOnClose)
              .warnIfDirectoryExists(false)
              .errorHandler(t -> LOG.warn("media driver error", t));
      switch (threadingMode) {
        case SHARED:
          ctx.sharedIdleStrategy(idleStrategy.get());
          break;
        case SHARED_NETWORK:
          ctx.sharedNetworkIdleStrategy(idleStrategy.get())
              .conductorIdleStrategy(idleStrategy.get());
          break;
        default:
          ctx.senderIdleStrategy(idleStrategy.get())
              .receiverIdleStrategy(idleStrategy.get())
              .conductorIdleStrategy(idleStrategy.get());
          break;
      }
      MediaDriver driver = MediaDriver.launch(ctx);
      LOG.info("media driver started in {} ({})", dir, threadingMode);
      return new EmbeddedMediaDriver(driver, driver.aeronDirectoryName());
    }
  }
}
