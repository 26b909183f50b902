package org.raftref.tracecheck.tlc;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * A named TLC configuration of the spec: {@code spec/NAME.cfg} checks module {@code MCRaft};
 * {@code spec/mutants/NAME.cfg} checks module {@code MCRaftMutants} (one known bug each). The name of a
 * mutant is {@code mutants/NAME}; plain {@code NAME} finds it too when no configuration in {@code spec/}
 * has that name.
 *
 * @param name the configuration's name ({@code ci}, {@code deep}, {@code mutants/figure8-commit})
 * @param specDir the directory holding the modules ({@code spec/})
 * @param rootModule the module TLC checks
 * @param cfgFile the configuration file
 */
public record ModelConfiguration(String name, Path specDir, String rootModule, Path cfgFile) {

  /** The module every configuration in {@code spec/} checks. */
  public static final String MODEL_MODULE = "MCRaft";
  /** The module every configuration in {@code spec/mutants/} checks. */
  public static final String MUTANTS_MODULE = "MCRaftMutants";
  private static final String MUTANTS_DIR = "mutants";

  /**
   * The configuration called {@code name} in {@code specDir}.
   *
   * @throws IllegalArgumentException naming the configurations there, if there is none of that name
   */
  public static ModelConfiguration named(Path specDir, String name) {
    String bare = name.endsWith(".cfg") ? name.substring(0, name.length() - 4) : name;
    if (bare.startsWith(MUTANTS_DIR + "/")) {
      Path cfg = specDir.resolve(MUTANTS_DIR).resolve(bare.substring(MUTANTS_DIR.length() + 1) + ".cfg");
      if (Files.isRegularFile(cfg)) {
        return new ModelConfiguration(bare, specDir, MUTANTS_MODULE, cfg);
      }
    } else if (!bare.contains("/")) {
      Path cfg = specDir.resolve(bare + ".cfg");
      if (Files.isRegularFile(cfg)) {
        return new ModelConfiguration(bare, specDir, MODEL_MODULE, cfg);
      }
      Path mutant = specDir.resolve(MUTANTS_DIR).resolve(bare + ".cfg");
      if (Files.isRegularFile(mutant)) {
        return new ModelConfiguration(MUTANTS_DIR + "/" + bare, specDir, MUTANTS_MODULE, mutant);
      }
    }
    List<String> known = new ArrayList<>();
    for (ModelConfiguration c : all(specDir)) {
      known.add(c.name());
    }
    throw new IllegalArgumentException("no TLC configuration named '" + name + "' in " + specDir
        + " (there are: " + String.join(", ", known) + ")");
  }

  /** Every configuration in {@code specDir}: those of {@code spec/} first, then the mutants, by name. */
  public static List<ModelConfiguration> all(Path specDir) {
    List<ModelConfiguration> all = new ArrayList<>();
    for (Path cfg : cfgFiles(specDir)) {
      all.add(new ModelConfiguration(baseName(cfg), specDir, MODEL_MODULE, cfg));
    }
    for (Path cfg : cfgFiles(specDir.resolve(MUTANTS_DIR))) {
      all.add(new ModelConfiguration(MUTANTS_DIR + "/" + baseName(cfg), specDir, MUTANTS_MODULE, cfg));
    }
    return all;
  }

  /**
   * The spec directory: the system property {@code raftref.specDir} if set, else the first {@code spec/}
   * holding {@code Raft.tla} in the working directory or one of its parents.
   *
   * @throws IllegalArgumentException if there is none
   */
  public static Path findSpecDir() {
    String property = System.getProperty("raftref.specDir");
    if (property != null && !property.isBlank()) {
      return requireSpecDir(Path.of(property));
    }
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      if (Files.isRegularFile(dir.resolve("spec").resolve("Raft.tla"))) {
        return dir.resolve("spec");
      }
    }
    throw new IllegalArgumentException("cannot find the spec directory: no spec/Raft.tla in "
        + Path.of("").toAbsolutePath() + " or its parents; pass --spec-dir");
  }

  /**
   * {@code dir}, if it holds Raft.tla.
   *
   * @throws IllegalArgumentException otherwise
   */
  public static Path requireSpecDir(Path dir) {
    if (!Files.isRegularFile(dir.resolve("Raft.tla"))) {
      throw new IllegalArgumentException("spec directory " + dir.toAbsolutePath() + " has no Raft.tla");
    }
    return dir;
  }

  /** The modules TLC needs: every {@code .tla} file of the spec directory. */
  public List<Path> modules() throws IOException {
    try (Stream<Path> files = Files.list(specDir)) {
      return files.filter(f -> f.getFileName().toString().endsWith(".tla")).sorted().toList();
    }
  }

  private static List<Path> cfgFiles(Path dir) {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(f -> f.getFileName().toString().endsWith(".cfg")).sorted().toList();
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot list " + dir + ": " + e.getMessage(), e);
    }
  }

  private static String baseName(Path cfg) {
    String file = cfg.getFileName().toString();
    return file.substring(0, file.length() - ".cfg".length());
  }
}
