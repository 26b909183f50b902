package org.raftref.tracecheck.trace;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Parses one line of ndjson into plain Java values, with Jackson's streaming parser: an object becomes a
 * {@code Map<String, Object>} (keys in line order), an array a {@code List<Object>}, an integer a
 * {@code Long} or, beyond {@code long}, a {@code BigInteger}; a string, a boolean and a fraction stay what
 * they are, and {@code null} becomes {@link #NULL}. {@link FieldReader} then checks names and types.
 */
final class JsonLine {

  /** Stands for JSON's {@code null}, which no field of a trace may be. */
  static final Object NULL = new Object() {
    @Override
    public String toString() {
      return "null";
    }
  };

  private static final JsonFactory JSON = new JsonFactory();

  private JsonLine() {}

  /**
   * The object on {@code text}.
   *
   * @throws TraceInputException "malformed JSON: ..." prefixed with {@code where}, if the line is not exactly
   *     one JSON object
   */
  static Map<String, Object> parseObject(String text, String where) throws TraceInputException {
    try (JsonParser parser = JSON.createParser(text)) {
      JsonToken first = parser.nextToken();
      if (first != JsonToken.START_OBJECT) {
        throw new TraceInputException(where + ": malformed JSON: the line must hold one JSON object"
            + (first == null ? ", and is empty" : ", not " + describe(first)));
      }
      Map<String, Object> object = readObject(parser, where);
      if (parser.nextToken() != null) {
        throw new TraceInputException(where + ": malformed JSON: more after the object ends (column "
            + parser.currentLocation().getColumnNr() + ")");
      }
      return object;
    } catch (JsonParseException e) {
      throw new TraceInputException(where + ": malformed JSON: " + oneLine(e.getOriginalMessage())
          + " (column " + e.getLocation().getColumnNr() + ")", e);
    } catch (IOException e) {
      // Parsing a String does no I/O; Jackson reports every syntax error as JsonParseException.
      throw new TraceInputException(where + ": malformed JSON: " + oneLine(e.getMessage()), e);
    }
  }

  private static Map<String, Object> readObject(JsonParser parser, String where)
      throws IOException, TraceInputException {
    Map<String, Object> object = new LinkedHashMap<>();
    while (parser.nextToken() == JsonToken.FIELD_NAME) {
      String name = parser.currentName();
      parser.nextToken();
      if (object.put(name, readValue(parser, where)) != null) {
        throw new TraceInputException(where + ": malformed JSON: field \"" + name + "\" appears twice");
      }
    }
    return object;
  }

  private static Object readValue(JsonParser parser, String where) throws IOException, TraceInputException {
    JsonToken token = parser.currentToken();
    switch (token) {
      case START_OBJECT:
        return readObject(parser, where);
      case START_ARRAY:
        List<Object> array = new ArrayList<>();
        while (parser.nextToken() != JsonToken.END_ARRAY) {
          array.add(readValue(parser, where));
        }
        return array;
      case VALUE_STRING:
        return parser.getText();
      case VALUE_NUMBER_INT:
        return parser.getNumberType() == JsonParser.NumberType.BIG_INTEGER
            ? parser.getBigIntegerValue() : (Object) parser.getLongValue();
      case VALUE_NUMBER_FLOAT:
        return parser.getDoubleValue();
      case VALUE_TRUE:
        return Boolean.TRUE;
      case VALUE_FALSE:
        return Boolean.FALSE;
      case VALUE_NULL:
        return NULL;
      default:
        throw new TraceInputException(where + ": malformed JSON: unexpected " + describe(token));
    }
  }

  /** How an error message names the kind of a parsed value. */
  static String kindOf(Object value) {
    if (value instanceof Map) {
      return "an object";
    } else if (value instanceof List) {
      return "an array";
    } else if (value instanceof String s) {
      return "the string \"" + s + "\"";
    } else if (value instanceof Long || value instanceof BigInteger) {
      return "the integer " + value;
    } else if (value instanceof Double) {
      return "the number " + value;
    } else if (value instanceof Boolean) {
      return String.valueOf(value);
    }
    return "null";
  }

  private static String describe(JsonToken token) {
    return token.isScalarValue() ? "a " + token.name().toLowerCase().replace("value_", "") : token.asString();
  }

  private static String oneLine(String message) {
    return message.replaceAll("\\s*\\R\\s*", " ").trim();
  }
}
