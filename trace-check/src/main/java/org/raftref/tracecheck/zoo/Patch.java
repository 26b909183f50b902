package org.raftref.tracecheck.zoo;

/**
 * One exact edit of a core source file: {@code search} must occur exactly once in {@code file} (a path under
 * {@code org/raftref/core/}), and is replaced by {@code replace}. Exactness keeps the zoo honest: when the core
 * changes under a bug, the patch stops applying and says so, instead of silently testing nothing.
 */
public record Patch(String file, String search, String replace) {

  public Patch {
    if (search.isEmpty()) {
      throw new IllegalArgumentException("a patch needs a non-empty search text");
    }
    if (search.equals(replace)) {
      throw new IllegalArgumentException("a patch must change something: " + search);
    }
  }

  /** A patch of RaftNode.java. */
  public static Patch node(String search, String replace) {
    return new Patch("RaftNode.java", search, replace);
  }

  /** Applies this patch to {@code source}, the text of {@link #file()}; {@code bug} names it in the error. */
  public String applyTo(String source, String bug) {
    int first = source.indexOf(search);
    if (first < 0 || source.indexOf(search, first + 1) >= 0) {
      throw new IllegalStateException("patch no longer applies: " + bug + " (the search text occurs "
          + (first < 0 ? "nowhere" : "more than once") + " in " + file + "):\n" + search);
    }
    return source.substring(0, first) + replace + source.substring(first + search.length());
  }
}
