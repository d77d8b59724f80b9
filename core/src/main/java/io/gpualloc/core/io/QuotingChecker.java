package io.gpualloc.core.io;

import com.fasterxml.jackson.dataformat.yaml.util.StringQuotingChecker;

/**
 * Jackson's rules for when a YAML string needs quotes, plus: any string with a control, format or
 * separator character other than the plain space. SnakeYAML would otherwise write some of them
 * (NEL, LINE SEPARATOR, NO-BREAK SPACE at the edges, ...) unquoted and read them back as line
 * breaks or trimmed blanks; in double quotes they are escaped and survive the round trip.
 */
final class QuotingChecker extends StringQuotingChecker.Default {
  private static final long serialVersionUID = 1L;

  @Override
  public boolean needToQuoteName(String name) {
    return super.needToQuoteName(name) || hasSpecial(name);
  }

  @Override
  public boolean needToQuoteValue(String value) {
    return super.needToQuoteValue(value) || hasSpecial(value);
  }

  static boolean hasSpecial(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == ' ') {
        continue;
      }
      switch (Character.getType(c)) {
        case Character.CONTROL:
        case Character.FORMAT:
        case Character.SPACE_SEPARATOR:
        case Character.LINE_SEPARATOR:
        case Character.PARAGRAPH_SEPARATOR:
        case Character.UNASSIGNED:
        case Character.PRIVATE_USE:
          return true;
        default:
          break;
      }
    }
    return false;
  }
}
