package org.raftref.cli;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** A positive duration written as a number and a unit: {@code 250ms}, {@code 10s}, {@code 2m}. */
final class DurationConverter implements ITypeConverter<Duration> {

  private static final Pattern FORM = Pattern.compile("([0-9]{1,9})(ms|s|m)");

  @Override
  public Duration convert(String value) {
    Matcher m = FORM.matcher(value.strip());
    String digits = m.matches() ? m.group(1) : null;
    String unit = m.matches() ? m.group(2) : null;
    if (digits == null || unit == null || Long.parseLong(digits) == 0) {
      throw new TypeConversionException("\"" + value + "\" is not a positive duration such as 250ms, 10s or 2m");
    }
    long n = Long.parseLong(digits);
    return switch (unit) {
      case "ms" -> Duration.ofMillis(n);
      case "s" -> Duration.ofSeconds(n);
      default -> Duration.ofMinutes(n);
    };
  }
}
