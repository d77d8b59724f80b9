package io.gpualloc.core.io;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import com.fasterxml.jackson.core.StreamReadConstraints;
import io.gpualloc.core.InvalidSpecException;
import io.gpualloc.core.ReadLimits;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;

/** The Jackson factories and writers; the only class here that configures Jackson. */
final class Jackson {
  private static final JsonFactory JSON_FACTORY = new JsonFactory();
  private static final YAMLFactory YAML_FACTORY = yamlFactory(ReadLimits.defaults());
  private static final JsonFactory JSON_READ_FACTORY = jsonFactory(ReadLimits.defaults());
  private static final ObjectWriter JSON_WRITER = jsonWriter();
  private static final ObjectWriter YAML_WRITER = new YAMLMapper(YAML_FACTORY).writer();

  private Jackson() {}

  /**
   * A YAML factory whose SnakeYAML loader is bounded by {@code limits}: at most {@code maxBytes}
   * code points, {@code maxDepth} nesting levels, no alias expansion.
   */
  private static YAMLFactory yamlFactory(ReadLimits limits) {
    LoaderOptions options = new LoaderOptions();
    options.setCodePointLimit((int) limits.maxBytes());
    options.setNestingDepthLimit(limits.maxDepth() + 1);
    options.setMaxAliasesForCollections(0);
    options.setAllowRecursiveKeys(false);
    return YAMLFactory.builder()
        .streamReadConstraints(constraints(limits))
        .loaderOptions(options)
        .enable(YAMLParser.Feature.EMPTY_STRING_AS_NULL)
        .stringQuotingChecker(new QuotingChecker())
        .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
        .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
        .enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS)
        .enable(YAMLGenerator.Feature.INDENT_ARRAYS_WITH_INDICATOR)
        .build();
  }

  private static ObjectWriter jsonWriter() {
    DefaultIndenter indenter = new DefaultIndenter("  ", "\n");
    DefaultPrettyPrinter pp = new DefaultPrettyPrinter()
        .withSeparators(Separators.createDefaultInstance()
            .withObjectFieldValueSpacing(Separators.Spacing.AFTER));
    pp.indentObjectsWith(indenter);
    pp.indentArraysWith(indenter);
    return new ObjectMapper(JSON_FACTORY).writer(pp);
  }

  private static StreamReadConstraints constraints(ReadLimits limits) {
    return StreamReadConstraints.builder()
        .maxDocumentLength(limits.maxBytes())
        .maxNestingDepth(limits.maxDepth() + 1)
        .maxStringLength(limits.maxScalarLength())
        .maxNameLength(limits.maxScalarLength())
        .maxNumberLength(Math.min(1000, limits.maxScalarLength()))
        .build();
  }

  private static JsonFactory jsonFactory(ReadLimits limits) {
    return JsonFactory.builder().streamReadConstraints(constraints(limits)).build();
  }

  static JsonParser parser(String text, Format format, ReadLimits limits) throws IOException {
    boolean defaults = limits.equals(ReadLimits.defaults());
    if (format == Format.JSON) {
      return (defaults ? JSON_READ_FACTORY : jsonFactory(limits)).createParser(text);
    }
    return (defaults ? YAML_FACTORY : yamlFactory(limits)).createParser(text);
  }

  /**
   * Rejects strings with unpaired surrogates, which are not Unicode text: YAML cannot hold them
   * (JSON can, as escapes).
   */
  private static void checkUnicode(JsonNode node, String path) {
    if (node.isTextual()) {
      checkUnicode(node.textValue(), path);
    } else if (node.isObject()) {
      for (Map.Entry<String, JsonNode> e : node.properties()) {
        String child = FieldPath.field(path, e.getKey());
        checkUnicode(e.getKey(), child);
        checkUnicode(e.getValue(), child);
      }
    } else if (node.isArray()) {
      for (int i = 0; i < node.size(); i++) {
        checkUnicode(node.get(i), FieldPath.index(path, i));
      }
    }
  }

  private static void checkUnicode(String s, String path) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (Character.isHighSurrogate(c) && i + 1 < s.length()
          && Character.isLowSurrogate(s.charAt(i + 1))) {
        i++;
      } else if (Character.isSurrogate(c)) {
        throw InvalidSpecException.of(
            "YAML output", path, String.format("\\u%04x at index %d", (int) c, i),
            "text without unpaired surrogates (YAML cannot hold them). Maybe write JSON");
      }
    }
  }

  static String write(JsonNode tree, Format format) {
    try {
      if (format == Format.JSON) {
        return JSON_WRITER.writeValueAsString(tree) + "\n";
      }
      checkUnicode(tree, "");
      return YAML_WRITER.writeValueAsString(tree);
    } catch (IOException e) {
      // Writing a tree to a String performs no I/O; Jackson declares the exception regardless.
      throw new UncheckedIOException(e);
    }
  }
}
