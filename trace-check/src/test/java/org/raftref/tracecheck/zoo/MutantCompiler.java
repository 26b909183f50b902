package org.raftref.tracecheck.zoo;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import javax.tools.FileObject;
import javax.tools.ForwardingJavaFileManager;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileManager;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;

/**
 * Compiles the core package ({@code org.raftref.core}) from source, with a bug's patches applied, in memory.
 * The sources are read from {@link #coreSourceRoot()}, the impl module's {@code src/main/java}; the class path
 * is the one the tests run with (messages, trace, checker-qual's annotations), found from classes rather than
 * from {@code java.class.path}, which under Surefire is not the project's class path.
 */
final class MutantCompiler {

  /** The impl module's main source root; trace-check's surefire configuration sets it. */
  static Path coreSourceRoot() {
    return Path.of(System.getProperty("raftref.coreSourceDir", "../impl/src/main/java"));
  }

  private MutantCompiler() {}

  /** The core's sources, file name to text, with {@code bug}'s patches applied (none for the control). */
  static Map<String, String> patchedSources(Bug bug) {
    Path dir = coreSourceRoot().resolve("org/raftref/core");
    Map<String, String> sources = new TreeMap<>();
    try (Stream<Path> files = Files.list(dir)) {
      for (Path file : files.filter(f -> f.toString().endsWith(".java")).sorted().toList()) {
        sources.put(file.getFileName().toString(), Files.readString(file, StandardCharsets.UTF_8));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the core's sources in " + dir.toAbsolutePath()
          + " (set -Draftref.coreSourceDir to impl/src/main/java): " + e, e);
    }
    for (Patch patch : bug.patches()) {
      String source = sources.get(patch.file());
      if (source == null) {
        throw new IllegalStateException("patch no longer applies: " + bug.name() + " (no file " + patch.file()
            + " in " + dir + ")");
      }
      sources.put(patch.file(), patch.applyTo(source, bug.name()));
    }
    return sources;
  }

  /** Compiles {@code sources} (file name to text, all of package org.raftref.core): binary name to bytes. */
  static Map<String, byte[]> compile(String what, Map<String, String> sources) {
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    if (javac == null) {
      throw new IllegalStateException("no Java compiler in this runtime (a JDK, not a JRE, is needed)");
    }
    List<JavaFileObject> units = new ArrayList<>();
    sources.forEach((file, text) -> units.add(new Source(file, text)));
    Map<String, ByteArrayOutputStream> classes = new TreeMap<>();
    StringWriter diagnostics = new StringWriter();
    StandardJavaFileManager standard = javac.getStandardFileManager(null, null, StandardCharsets.UTF_8);
    try (JavaFileManager files = new ForwardingJavaFileManager<>(standard) {
      @Override
      public JavaFileObject getJavaFileForOutput(Location location, String className, JavaFileObject.Kind kind,
          FileObject sibling) {
        return new SimpleJavaFileObject(uri("mem:///" + className.replace('.', '/') + ".class"), kind) {
          @Override
          public OutputStream openOutputStream() {
            return classes.computeIfAbsent(className, k -> new ByteArrayOutputStream());
          }
        };
      }
    }) {
      List<String> options = List.of("--release", "17", "-proc:none", "-g", "-nowarn", "-classpath", classPath());
      boolean ok = javac.getTask(diagnostics, files, null, options, null, units).call();
      if (!ok) {
        throw new IllegalStateException("the core does not compile with " + what + ":\n" + diagnostics);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Map<String, byte[]> bytes = new TreeMap<>();
    classes.forEach((name, out) -> bytes.put(name, out.toByteArray()));
    return bytes;
  }

  /** What the core compiles against: the impl's messages and trace package, and the nullness annotations. */
  private static String classPath() {
    List<String> entries = new ArrayList<>();
    for (Class<?> c : List.of(org.raftref.message.Message.class,
        org.checkerframework.checker.nullness.qual.Nullable.class)) {
      try {
        entries.add(Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI()).toString());
      } catch (URISyntaxException e) {
        throw new IllegalStateException("cannot locate the class path entry of " + c, e);
      }
    }
    return String.join(java.io.File.pathSeparator, entries);
  }

  private static URI uri(String text) {
    return URI.create(text);
  }

  private static final class Source extends SimpleJavaFileObject {
    private final String text;

    Source(String file, String text) {
      super(uri("mem:///org/raftref/core/" + file), Kind.SOURCE);
      this.text = text;
    }

    @Override
    public CharSequence getCharContent(boolean ignoreEncodingErrors) {
      return text;
    }
  }
}
