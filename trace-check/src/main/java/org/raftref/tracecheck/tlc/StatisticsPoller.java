package org.raftref.tracecheck.tlc;

import com.sun.tools.attach.VirtualMachine;
import java.time.Duration;
import java.util.function.Supplier;
import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * Asks a running TLC for its statistics every few seconds, because TLC prints progress only once a minute
 * (its {@code TLCGlobals.progressInterval} is a constant).
 *
 * <p>TLC registers the MBean {@code tlc2.tool:type=ModelChecker} while it model-checks. This poller
 * attaches to the forked JVM (Attach API), starts its local management agent and reads the bean's
 * attributes. It is best effort: if attaching or reading fails (simulation mode, a JVM that refuses
 * attachment) it stops quietly, and TLC's own reports remain.
 */
final class StatisticsPoller implements Runnable {

  private static final String BEAN = "tlc2.tool:type=ModelChecker";

  private final long pid;
  private final Duration interval;
  private final Supplier<Duration> clock;
  private final TlcProgressListener listener;
  private volatile boolean stopped;

  /**
   * @param clock the time since the run started
   * @param listener gets one {@link TlcProgress} per successful poll
   */
  StatisticsPoller(long pid, Duration interval, Supplier<Duration> clock, TlcProgressListener listener) {
    this.pid = pid;
    this.interval = interval;
    this.clock = clock;
    this.listener = listener;
  }

  /** Ends the polling loop at its next wake-up. */
  void stop() {
    stopped = true;
  }

  @Override
  public void run() {
    JMXConnector connector = null;
    try {
      while (!stopped) {
        Thread.sleep(interval.toMillis());
        if (stopped) {
          return;
        }
        if (connector == null) {
          connector = connect();
        }
        TlcProgress progress = read(connector.getMBeanServerConnection());
        if (progress != null && !stopped) {
          listener.progress(progress);
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Exception | LinkageError e) {
      // Best effort (see the class comment): TLC's own reports still come.
    } finally {
      if (connector != null) {
        try {
          connector.close();
        } catch (Exception ignored) {
          // The JVM is gone or going; nothing to release on this side.
        }
      }
    }
  }

  private JMXConnector connect() throws Exception {
    VirtualMachine vm = VirtualMachine.attach(String.valueOf(pid));
    try {
      String address = vm.startLocalManagementAgent();
      return JMXConnectorFactory.connect(new JMXServiceURL(address));
    } finally {
      vm.detach();
    }
  }

  /** The bean's numbers, or null while TLC has not registered it yet (it is still parsing). */
  private @Nullable TlcProgress read(MBeanServerConnection server) throws Exception {
    ObjectName name = new ObjectName(BEAN);
    if (!server.isRegistered(name)) {
      return null;
    }
    long distinct = ((Number) server.getAttribute(name, "DistinctStatesGenerated")).longValue();
    long generated = ((Number) server.getAttribute(name, "StatesGenerated")).longValue();
    long queue = ((Number) server.getAttribute(name, "StateQueueSize")).longValue();
    int depth = ((Number) server.getAttribute(name, "Progress")).intValue();
    return new TlcProgress(clock.get(), distinct, generated, queue, depth, TlcProgress.Source.POLL);
  }
}
