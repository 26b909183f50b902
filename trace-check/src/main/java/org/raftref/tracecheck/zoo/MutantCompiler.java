package org.raftref.tracecheck.zoo;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
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
 * The sources are read from the class path ({@value #RESOURCE_DIR}: trace-check's build copies the impl
 * module's core sources there, so the runnable jar carries them), or, when they are not there, from the
 * directory that the {@code raftref.coreSourceDir} property names (impl's {@code src/main/java}). The class path
 * of the compilation holds messages, trace and checker-qual's annotations, found from classes rather than from
 * {@code java.class.path}, which under Surefire is not the project's class path. Needs a JDK at run time.
 */
final class MutantCompiler {

  /** Where the build puts the core's sources on the class path (…/org/raftref/core/*.java below it). */
  static final String RESOURCE_DIR = "raftref-core-src";

  private static final String CORE_DIR = "org/raftref/core";

  private MutantCompiler() {}

  /** Whether this runtime has a Java compiler (a JDK, not a JRE). */
  static boolean available() {
    return ToolProvider.getSystemJavaCompiler() != null;
  }

  /** The core's sources, file name to text, with {@code bug}'s patches applied (none for the control). */
  static Map<String, String> patchedSources(Bug bug) {
    Map<String, String> sources = coreSources();
    String dir = CORE_DIR;
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

  /** The unpatched core sources, file name to text: from the class path, else from raftref.coreSourceDir. */
  private static Map<String, String> coreSources() {
    URL resource = MutantCompiler.class.getClassLoader().getResource(RESOURCE_DIR + "/" + CORE_DIR);
    try {
      if (resource == null) {
        String property = System.getProperty("raftref.coreSourceDir");
        if (property == null) {
          throw new IllegalStateException("the core's sources are not on the class path (" + RESOURCE_DIR + "/"
              + CORE_DIR + ") and -Draftref.coreSourceDir is not set (to impl/src/main/java)");
        }
        return readJavaFiles(Path.of(property).resolve(CORE_DIR));
      }
      URI uri = resource.toURI();
      if (!"jar".equals(uri.getScheme())) {
        return readJavaFiles(Path.of(uri));
      }
      try (FileSystem jar = FileSystems.newFileSystem(uri, Map.of())) {
        return readJavaFiles(jar.provider().getPath(uri));
      }
    } catch (URISyntaxException | IOException e) {
      throw new IllegalStateException("cannot read the core's sources from " + resource + ": " + e, e);
    }
  }

  private static Map<String, String> readJavaFiles(Path dir) throws IOException {
    Map<String, String> sources = new TreeMap<>();
    try (Stream<Path> files = Files.list(dir)) {
      for (Path file : files.filter(f -> f.toString().endsWith(".java")).sorted().toList()) {
        sources.put(file.getFileName().toString(), Files.readString(file, StandardCharsets.UTF_8));
      }
    }
    if (sources.isEmpty()) {
      throw new IOException("no .java files in " + dir);
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
