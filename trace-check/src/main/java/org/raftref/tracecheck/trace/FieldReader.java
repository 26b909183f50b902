package org.raftref.tracecheck.trace;

import java.math.BigInteger;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Reads the fields of one parsed JSON object of a trace line, naming in every error where the object sits
 * ("run.ndjson line 7"), what it belongs to ("HandleAppendEntriesRequest event") and the field's path
 * ("recv.prevLogTerm").
 */
final class FieldReader {

  /** TLC's integers are 32-bit: no term, index or id of a trace may exceed this. */
  static final long MAX_INT = Integer.MAX_VALUE;

  private final Map<String, Object> fields;
  private final String where;
  private final String owner;
  private final String path;

  private FieldReader(Map<String, Object> fields, String where, String owner, String path) {
    this.fields = fields;
    this.where = where;
    this.owner = owner;
    this.path = path;
  }

  /** A reader of a line's top-level object; {@code owner} names it in "lacks field" errors. */
  static FieldReader of(Map<String, Object> fields, String where, String owner) {
    return new FieldReader(fields, where, owner, "");
  }

  /** Fails unless every field present is one of {@code allowed}. */
  void allowOnly(Set<String> allowed) throws TraceInputException {
    Set<String> unknown = new TreeSet<>(fields.keySet());
    unknown.removeAll(allowed);
    if (!unknown.isEmpty()) {
      throw error("unknown field \"" + path + unknown.iterator().next() + "\" in " + owner
          + "; allowed here: " + new TreeSet<>(allowed));
    }
  }

  boolean has(String name) {
    return fields.containsKey(name);
  }

  Object value(String name) throws TraceInputException {
    Object value = fields.get(name);
    if (value == null) {
      throw error(owner + " lacks field \"" + path + name + "\"");
    }
    return value;
  }

  /** An integer field in {@code min..2147483647}. */
  int integer(String name, int min) throws TraceInputException {
    return toInt(value(name), path + name, min);
  }

  /** A positive integer that is one of {@code members}. */
  int member(String name, Set<Integer> members) throws TraceInputException {
    int id = integer(name, 1);
    if (!members.contains(id)) {
      throw error("field \"" + path + name + "\" is node " + id + ", which is not one of the members " + members);
    }
    return id;
  }

  String string(String name) throws TraceInputException {
    Object value = value(name);
    if (!(value instanceof String s)) {
      throw wrongType(path + name, "a string", value);
    }
    return s;
  }

  boolean bool(String name) throws TraceInputException {
    Object value = value(name);
    if (!(value instanceof Boolean b)) {
      throw wrongType(path + name, "true or false", value);
    }
    return b;
  }

  @SuppressWarnings("unchecked")
  FieldReader object(String name) throws TraceInputException {
    Object value = value(name);
    if (!(value instanceof Map)) {
      throw wrongType(path + name, "an object", value);
    }
    return new FieldReader((Map<String, Object>) value, where, owner, path + name + ".");
  }

  @SuppressWarnings("unchecked")
  List<Object> array(String name) throws TraceInputException {
    Object value = value(name);
    if (!(value instanceof List)) {
      throw wrongType(path + name, "an array", value);
    }
    return (List<Object>) value;
  }

  /** The names of this object's fields, in line order. */
  Set<String> names() {
    return fields.keySet();
  }

  /** The path a child of this object has, for errors about array elements: "state.log[2]". */
  String pathOf(String name) {
    return path + name;
  }

  int toInt(Object value, String fieldPath, int min) throws TraceInputException {
    if (!(value instanceof Long || value instanceof BigInteger)) {
      throw wrongType(fieldPath, "an integer in " + min + ".." + MAX_INT, value);
    }
    if (value instanceof BigInteger || (Long) value < min || (Long) value > MAX_INT) {
      throw error("field \"" + fieldPath + "\" must be an integer in " + min + ".." + MAX_INT + ", was " + value
          + ((value instanceof BigInteger || (Long) value > MAX_INT) ? " (TLC's integers are 32-bit)" : ""));
    }
    return (int) (long) (Long) value;
  }

  TraceInputException wrongType(String fieldPath, String expected, Object value) {
    return error("field \"" + fieldPath + "\" must be " + expected + ", was " + JsonLine.kindOf(value));
  }

  TraceInputException error(String what) {
    return new TraceInputException(where + ": " + what);
  }
}
