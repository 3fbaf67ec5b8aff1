package io.streamlstm.ops;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.cfg.MapperConfig;
import tools.jackson.databind.introspect.Annotated;
import tools.jackson.databind.introspect.JacksonAnnotationIntrospector;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.dataformat.yaml.YAMLMapper;

/** The repository's deployment files, read the strict way. */
final class DeployFiles {

  /** Maven runs tests from the project directory. */
  static final Path ROOT = Path.of("").toAbsolutePath();

  /**
   * YAML into typed models, failing on any field the model does not know. The fabric8 classes keep
   * unknown fields in an {@code additionalProperties} map ({@code @JsonAnySetter}); this introspector
   * disables that, so a misspelt field anywhere in a manifest is an error, as in {@code kubectl --validate=strict}.
   */
  static final ObjectMapper STRICT_YAML = YAMLMapper.builder()
      .annotationIntrospector(new NoAnySetter())
      .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
      .build();

  static final ObjectMapper JSON = JsonMapper.builder().build();

  private DeployFiles() {}

  static Path path(String relative) {
    Path p = ROOT.resolve(relative);
    if (!Files.exists(p)) {
      throw new AssertionError("missing " + relative);
    }
    return p;
  }

  static String read(String relative) {
    try {
      return Files.readString(path(relative));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static JsonNode yaml(String relative) {
    return STRICT_YAML.readTree(read(relative));
  }

  /** Every document of a (multi-document) YAML file. */
  static List<JsonNode> yamlDocuments(Path file) {
    try (var docs = STRICT_YAML.readerFor(JsonNode.class).readValues(file.toFile())) {
      return docs.readAll().stream().map(JsonNode.class::cast).filter(n -> !n.isNull() && !n.isMissingNode()).toList();
    }
  }

  static List<Path> files(String relativeDir, String suffix) {
    try (Stream<Path> s = Files.walk(path(relativeDir))) {
      return s.filter(Files::isRegularFile).filter(p -> p.toString().endsWith(suffix)).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static final class NoAnySetter extends JacksonAnnotationIntrospector {
    @Override
    public Boolean hasAnySetter(MapperConfig<?> config, Annotated a) {
      return Boolean.FALSE;
    }
  }
}
