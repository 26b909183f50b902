package org.raftref.tracecheck.zoo;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * Child-first for the core, the simulator and {@link ZooDriver}; parent-first for everything else (messages,
 * the trace package, the JDK, the zoo's own types). Core classes come from the mutant's compiled bytes;
 * simulator classes and the driver are defined again here from the parent's class files, so that they link
 * against the mutated core rather than the one on the class path. Messages and trace classes are shared with
 * the parent, so a {@code NdjsonSink} made here is the one the caller knows.
 */
final class MutantClassLoader extends ClassLoader {

  static {
    registerAsParallelCapable();
  }

  private static final String CORE = "org.raftref.core.";
  private static final String SIM = "org.raftref.sim.";
  private static final String DRIVER = ZooDriver.class.getName();

  private final Map<String, byte[]> core;

  /** @param core the compiled (mutated) core: binary class name to class file bytes */
  MutantClassLoader(String name, Map<String, byte[]> core, ClassLoader parent) {
    super(name, parent);
    this.core = Map.copyOf(core);
  }

  /** A fresh runner that drives this loader's core. */
  ScenarioRunner runner() {
    try {
      return (ScenarioRunner) loadClass(DRIVER).getConstructor().newInstance();
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("cannot instantiate " + DRIVER + " in " + getName() + ": " + e, e);
    }
  }

  @Override
  protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
    if (!childFirst(name)) {
      return super.loadClass(name, resolve);
    }
    synchronized (getClassLoadingLock(name)) {
      Class<?> loaded = findLoadedClass(name);
      if (loaded == null) {
        byte[] bytes = core.get(name);
        if (bytes == null) {
          bytes = parentBytes(name);
        }
        loaded = defineClass(name, bytes, 0, bytes.length);
      }
      if (resolve) {
        resolveClass(loaded);
      }
      return loaded;
    }
  }

  private static boolean childFirst(String name) {
    return name.startsWith(CORE) || name.startsWith(SIM) || name.equals(DRIVER) || name.startsWith(DRIVER + "$");
  }

  private byte[] parentBytes(String name) throws ClassNotFoundException {
    String resource = name.replace('.', '/') + ".class";
    try (InputStream in = getParent().getResourceAsStream(resource)) {
      if (in == null) {
        throw new ClassNotFoundException(name + " (no " + resource + " on the class path)");
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + resource + ": " + e, e);
    }
  }
}
