package org.raftref.tracecheck.viewer;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Puts the page together from three packaged resources written for this project ({@code viewer.html},
 * {@code viewer.css}, {@code viewer.js}, next to this class) and the data: one self-contained HTML file.
 *
 * <p>The page carries a Content-Security-Policy that allows nothing from the network ({@code default-src
 * 'none'}) and runs only the viewer's own script and style, named by their SHA-256: whatever a trace contains,
 * a script that is not the viewer's does not run, and the page cannot load anything while it is viewed.
 */
final class PageTemplate {

  private static final Pattern SLOT = Pattern.compile("\\{\\{(CSP|CSS|DATA|JS)\\}\\}");
  private static final String HTML = resource("viewer.html");
  private static final String CSS = resource("viewer.css");
  private static final String JS = resource("viewer.js");

  private PageTemplate() {}

  /** The page with {@code dataJson} (already escaped for a script element, see {@link PageData}) inlined. */
  static String page(String dataJson) {
    String csp = "default-src 'none'; script-src '" + sha256(JS) + "'; style-src '" + sha256(CSS)
        + "'; img-src data:; base-uri 'none'; form-action 'none'";
    Map<String, String> slots = Map.of("CSP", csp, "CSS", CSS, "DATA", dataJson, "JS", JS);
    // One pass over the template: text put into a slot is never searched for slots itself.
    Matcher m = SLOT.matcher(HTML);
    StringBuilder page = new StringBuilder(HTML.length() + CSS.length() + JS.length() + dataJson.length());
    while (m.find()) {
      m.appendReplacement(page, Matcher.quoteReplacement(slots.get(m.group(1))));
    }
    m.appendTail(page);
    return page.toString();
  }

  /** The CSP source for an inline element whose text is {@code text}: {@code sha256-<base64>}. */
  static String sha256(String text) {
    try {
      byte[] hash = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
      return "sha256-" + Base64.getEncoder().encodeToString(hash);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
  }

  private static String resource(String name) {
    try (InputStream in = PageTemplate.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException("the viewer resource " + name + " is missing from the class path"
            + " (it belongs next to " + PageTemplate.class.getName() + ")");
      }
      String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      checkResource(name, text);
      return text;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the viewer resource " + name, e);
    }
  }

  /** A packaging bug, caught at class load: a slot missing or doubled, or text that would end its element. */
  private static void checkResource(String name, String text) {
    String lower = text.toLowerCase(Locale.ROOT);
    if (name.equals("viewer.html")) {
      for (String slot : new String[] {"CSP", "CSS", "DATA", "JS"}) {
        String marker = "{{" + slot + "}}";
        if (text.indexOf(marker) < 0 || text.indexOf(marker) != text.lastIndexOf(marker)) {
          throw new IllegalStateException("viewer.html must hold " + marker + " exactly once");
        }
      }
    } else if (lower.contains("</script") || lower.contains("</style") || lower.contains("<!--")) {
      throw new IllegalStateException(name + " must not contain </script, </style or <!--: it is inlined");
    }
  }
}
