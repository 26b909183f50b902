package org.raftref.cli;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** A number of bytes written as a number and a unit: {@code 0}, {@code 512k}, {@code 256m}, {@code 2g}. */
public final class SizeConverter implements ITypeConverter<Long> {

  private static final Pattern FORM = Pattern.compile("([0-9]{1,9})([kmg]?)");

  @Override
  public Long convert(String value) {
    Matcher m = FORM.matcher(value.strip().toLowerCase(Locale.ROOT));
    String digits = m.matches() ? m.group(1) : null;
    String unit = m.matches() ? m.group(2) : null;
    if (digits == null || unit == null || unit.isEmpty() && Long.parseLong(digits) != 0) {
      throw new TypeConversionException("\"" + value + "\" is not a size such as 0, 512k, 256m or 2g");
    }
    int shift = switch (unit) {
      case "k" -> 10;
      case "m" -> 20;
      case "g" -> 30;
      default -> 0;
    };
    return Long.parseLong(digits) << shift;
  }
}
