package io.gpualloc.core.io.hami;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gpualloc.core.InvalidSpecException;
import io.gpualloc.core.ParseException;
import io.gpualloc.core.ReadLimits;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Reads and writes HAMi's NVIDIA annotations: the node inventory {@value #NODE_REGISTER} in both
 * its forms (HAMi up to 2.7: {@code :}-terminated CSV records; from 2.8: a JSON array) and the
 * per-container allocations {@value #DEVICES_TO_ALLOCATE} / {@value #DEVICES_ALLOCATED}.
 *
 * <p>Readers take the owner (for example {@code "node gpu-a"} or {@code "pod ml/train-0"}) and a
 * {@link ReadLimits}; a malformed value is a {@link ParseException} whose source is the owner,
 * whose path is the annotation key (and element), and whose column is the 1-based offset in the
 * value. A reader returns the whole value or throws: nothing is half-read. Formats are documented
 * in {@code docs/kubernetes.md}.
 */
public final class HamiCodec {
  /** The node inventory annotation. */
  public static final String NODE_REGISTER = "hami.io/node-nvidia-register";
  /** The allocation the device plugin consumes, per container. */
  public static final String DEVICES_TO_ALLOCATE = "hami.io/vgpu-devices-to-allocate";
  /** The allocation as decided, per container. */
  public static final String DEVICES_ALLOCATED = "hami.io/vgpu-devices-allocated";
  /** The node a pod was assigned to. */
  public static final String VGPU_NODE = "hami.io/vgpu-node";

  private static final ObjectMapper DEFAULT = mapper(ReadLimits.defaults());

  private HamiCodec() {}

  // ---------------------------------------------------------------------------------------------
  // node-nvidia-register

  /**
   * Reads {@value #NODE_REGISTER} in either form: a value starting with {@code [} (after blanks)
   * is the JSON form, anything else the CSV form.
   *
   * @param owner the node, for messages, for example {@code "node gpu-a"}
   * @param value the annotation's value
   * @param limits bounds on the input
   * @return the devices in order
   * @throws ParseException when the value is malformed
   */
  public static List<HamiDevice> readRegister(String owner, String value, ReadLimits limits) {
    if (value != null && value.stripLeading().startsWith("[")) {
      return readRegisterJson(owner, value, limits);
    }
    return readRegisterCsv(owner, value, limits);
  }

  /**
   * Reads the CSV form of HAMi up to 2.7: records {@code uuid,count,devmem,devcore,type,numa,health}
   * or with {@code ,index,mode}, each terminated by {@code :}. A 7-field record has no index; its
   * index is its position in the list and its mode {@code hami-core}. The empty value is no device
   * (what {@link #writeRegisterCsv} writes for none; HAMi itself rejects it). Health is Go's boolean
   * ({@code true}, {@code false}, {@code 1}, {@code 0}, {@code t}, {@code f}, ...).
   *
   * @param owner the node, for messages
   * @param value the annotation's value
   * @param limits bounds on the input
   * @return the devices in order
   * @throws ParseException when the value is malformed
   */
  public static List<HamiDevice> readRegisterCsv(String owner, String value, ReadLimits limits) {
    checkText(owner, NODE_REGISTER, value, limits);
    if (value.isEmpty()) {
      return List.of();
    }
    if (value.indexOf(':') < 0) {
      throw error(owner, NODE_REGISTER, value.length(),
          "no ':' record terminator; expected records 'uuid,count,devmem,devcore,type,numa,health"
              + "[,index,mode]:'");
    }
    List<HamiDevice> out = new ArrayList<>();
    int start = 0;
    while (start < value.length()) {
      int end = value.indexOf(':', start);
      if (end < 0) {
        end = value.length();
      }
      if (end > start) {
        if (out.size() >= limits.maxGpusPerNode()) {
          throw error(owner, NODE_REGISTER, start, "more than maxGpusPerNode = "
              + limits.maxGpusPerNode() + " devices (see ReadLimits)");
        }
        out.add(csvRecord(owner, value, start, end, out.size()));
      }
      start = end + 1;
    }
    return List.copyOf(out);
  }

  private static HamiDevice csvRecord(String owner, String value, int start, int end, int pos) {
    List<int[]> fields = split(value, start, end, ',');
    if (fields.size() != 7 && fields.size() != 9) {
      throw error(owner, NODE_REGISTER, start, "a record with " + fields.size()
          + " fields; allowed: 7 (uuid,count,devmem,devcore,type,numa,health) or 9 (... ,index,mode)");
    }
    String id = field(value, fields.get(0));
    int count = integer(owner, NODE_REGISTER, value, fields.get(1), "count");
    int devmem = integer(owner, NODE_REGISTER, value, fields.get(2), "devmem");
    int devcore = integer(owner, NODE_REGISTER, value, fields.get(3), "devcore");
    String type = field(value, fields.get(4));
    int numa = integer(owner, NODE_REGISTER, value, fields.get(5), "numa");
    boolean health = bool(owner, value, fields.get(6));
    int index = pos;
    String mode = "hami-core";
    if (fields.size() == 9) {
      index = integer(owner, NODE_REGISTER, value, fields.get(7), "index");
      mode = field(value, fields.get(8));
    }
    try {
      return new HamiDevice(id, index, count, devmem, devcore, type, numa, mode, health, List.of());
    } catch (InvalidSpecException e) {
      throw new ParseException(owner, 1, start + 1, NODE_REGISTER, "at offset " + start + ": "
          + e.getMessage(), e);
    }
  }

  /**
   * Writes the CSV form, 9 fields per record ({@code uuid,count,devmem,devcore,type,numa,health,
   * index,mode:}), as HAMi's {@code EncodeNodeDevices} does. MIG profiles have no CSV form: a
   * device with profiles is an error rather than a silent loss.
   *
   * @param devices the devices
   * @return the annotation value
   * @throws InvalidSpecException when a device has MIG profiles
   */
  public static String writeRegisterCsv(List<HamiDevice> devices) {
    StringBuilder sb = new StringBuilder();
    for (HamiDevice d : devices) {
      if (!d.migProfiles().isEmpty()) {
        throw InvalidSpecException.of("HAMi device " + d.id(), "migProfiles",
            d.migProfiles().size() + " profiles", "none in the CSV form; use writeRegisterJson");
      }
      sb.append(d.id()).append(',').append(d.count()).append(',').append(d.devmem()).append(',')
          .append(d.devcore()).append(',').append(d.type()).append(',').append(d.numa())
          .append(',').append(d.health()).append(',').append(d.index()).append(',')
          .append(d.mode()).append(':');
    }
    return sb.toString();
  }

  /**
   * Reads the JSON form of HAMi 2.8 and later: an array of device objects. Keys match
   * case-insensitively (as Go's decoder does); an absent field is its zero value (HAMi writes
   * {@code omitempty}, so an absent {@code health} is {@code false}); unknown fields are skipped.
   *
   * @param owner the node, for messages
   * @param value the annotation's value
   * @param limits bounds on the input
   * @return the devices in order
   * @throws ParseException when the value is malformed
   */
  public static List<HamiDevice> readRegisterJson(String owner, String value, ReadLimits limits) {
    checkText(owner, NODE_REGISTER, value, limits);
    JsonNode root = parse(owner, NODE_REGISTER, value, limits);
    if (!root.isArray()) {
      throw error(owner, NODE_REGISTER, 0, "expected a JSON array of devices");
    }
    if (root.size() > limits.maxGpusPerNode()) {
      throw error(owner, NODE_REGISTER, 0, root.size() + " devices; allowed: at most "
          + "maxGpusPerNode = " + limits.maxGpusPerNode() + " (see ReadLimits)");
    }
    List<HamiDevice> out = new ArrayList<>();
    for (int i = 0; i < root.size(); i++) {
      String path = NODE_REGISTER + "[" + i + "]";
      JsonNode d = root.get(i);
      if (!d.isObject()) {
        throw new ParseException(owner, 0, 0, path, "expected a device object, found " + d);
      }
      List<HamiDevice.MigProfile> profiles = new ArrayList<>();
      JsonNode mp = get(d, "migProfiles");
      if (mp != null && !mp.isNull()) {
        if (!mp.isArray()) {
          throw new ParseException(owner, 0, 0, path + ".migProfiles", "expected a list");
        }
        for (int j = 0; j < mp.size(); j++) {
          profiles.add(profile(owner, path + ".migProfiles[" + j + "]", mp.get(j)));
        }
      }
      try {
        out.add(new HamiDevice(
            str(owner, path, d, "id"), num(owner, path, d, "index"), num(owner, path, d, "count"),
            num(owner, path, d, "devmem"), num(owner, path, d, "devcore"),
            str(owner, path, d, "type"), num(owner, path, d, "numa"), str(owner, path, d, "mode"),
            boolValue(owner, path, d, "health"), profiles));
      } catch (InvalidSpecException e) {
        throw new ParseException(owner, 0, 0, path, e.getMessage(), e);
      }
    }
    return List.copyOf(out);
  }

  private static HamiDevice.MigProfile profile(String owner, String path, JsonNode p) {
    if (!p.isObject()) {
      throw new ParseException(owner, 0, 0, path, "expected a MIG profile object");
    }
    List<HamiDevice.Placement> placements = new ArrayList<>();
    JsonNode pl = get(p, "placements");
    if (pl != null && !pl.isNull()) {
      if (!pl.isArray()) {
        throw new ParseException(owner, 0, 0, path + ".placements", "expected a list");
      }
      for (int k = 0; k < pl.size(); k++) {
        String pp = path + ".placements[" + k + "]";
        JsonNode o = pl.get(k);
        if (!o.isObject()) {
          throw new ParseException(owner, 0, 0, pp, "expected a placement object");
        }
        try {
          placements.add(new HamiDevice.Placement(num(owner, pp, o, "start"),
              num(owner, pp, o, "size")));
        } catch (InvalidSpecException e) {
          throw new ParseException(owner, 0, 0, pp, e.getMessage(), e);
        }
      }
    }
    try {
      return new HamiDevice.MigProfile(str(owner, path, p, "name"), num(owner, path, p, "memoryMB"),
          num(owner, path, p, "core"), num(owner, path, p, "sliceCount"), placements);
    } catch (InvalidSpecException e) {
      throw new ParseException(owner, 0, 0, path, e.getMessage(), e);
    }
  }

  /**
   * Writes the JSON form as HAMi's {@code MarshalNodeDevices} does: zero values, empty strings
   * and {@code false} are left out ({@code omitempty}); MIG profiles always carry every field.
   *
   * @param devices the devices
   * @return the annotation value
   */
  public static String writeRegisterJson(List<HamiDevice> devices) {
    ArrayNode arr = DEFAULT.createArrayNode();
    for (HamiDevice d : devices) {
      ObjectNode o = arr.addObject();
      putText(o, "id", d.id());
      putInt(o, "index", d.index());
      putInt(o, "count", d.count());
      putInt(o, "devmem", d.devmem());
      putInt(o, "devcore", d.devcore());
      putText(o, "type", d.type());
      putInt(o, "numa", d.numa());
      putText(o, "mode", d.mode());
      if (!d.migProfiles().isEmpty()) {
        ArrayNode ps = o.putArray("migProfiles");
        for (HamiDevice.MigProfile p : d.migProfiles()) {
          ObjectNode po = ps.addObject();
          po.put("name", p.name());
          po.put("memoryMB", p.memoryMb());
          po.put("core", p.core());
          po.put("sliceCount", p.sliceCount());
          ArrayNode pls = po.putArray("placements");
          for (HamiDevice.Placement pl : p.placements()) {
            pls.addObject().put("start", pl.start()).put("size", pl.size());
          }
        }
      }
      if (d.health()) {
        o.put("health", true);
      }
    }
    try {
      return DEFAULT.writeValueAsString(arr);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("writing a JSON tree cannot fail", e);
    }
  }

  private static void putText(ObjectNode o, String k, String v) {
    if (!v.isEmpty()) {
      o.put(k, v);
    }
  }

  private static void putInt(ObjectNode o, String k, int v) {
    if (v != 0) {
      o.put(k, v);
    }
  }

  // ---------------------------------------------------------------------------------------------
  // vgpu-devices-to-allocate / -allocated

  /**
   * Reads a per-container allocation: containers (init containers first, then app containers),
   * each terminated by {@code ;}; within one, devices {@code uuid,type,usedmem,usedcores} each
   * terminated by {@code :}. An empty container keeps its slot. The empty string is no container.
   *
   * @param owner the pod, for messages, for example {@code "pod ml/train-0"}
   * @param key the annotation key, for messages
   * @param value the annotation's value
   * @param limits bounds on the input
   * @return one list of devices per container slot
   * @throws ParseException when the value is malformed
   */
  public static List<List<ContainerDevice>> readAllocation(
      String owner, String key, String value, ReadLimits limits) {
    checkText(owner, key, value, limits);
    List<List<ContainerDevice>> out = new ArrayList<>();
    int start = 0;
    int items = 0;
    while (start < value.length()) {
      int end = value.indexOf(';', start);
      if (end < 0) {
        end = value.length();
      }
      List<ContainerDevice> container = new ArrayList<>();
      int ds = start;
      while (ds < end) {
        int de = value.indexOf(':', ds);
        if (de < 0 || de > end) {
          de = end;
        }
        if (de == ds) {
          throw error(owner, key, ds, "an empty device entry; expected 'uuid,type,usedmem,"
              + "usedcores:'");
        }
        if (++items > limits.maxItems()) {
          throw error(owner, key, ds, "more than maxItems = " + limits.maxItems()
              + " devices (see ReadLimits)");
        }
        List<int[]> f = split(value, ds, de, ',');
        if (f.size() != 4) {
          throw error(owner, key, ds, "a device with " + f.size()
              + " fields; allowed: 4 (uuid,type,usedmem,usedcores)");
        }
        try {
          container.add(new ContainerDevice(field(value, f.get(0)), field(value, f.get(1)),
              integer(owner, key, value, f.get(2), "usedmem"),
              integer(owner, key, value, f.get(3), "usedcores")));
        } catch (InvalidSpecException e) {
          throw new ParseException(owner, 1, ds + 1, key, "at offset " + ds + ": "
              + e.getMessage(), e);
        }
        ds = de + 1;
      }
      out.add(List.copyOf(container));
      start = end + 1;
    }
    return List.copyOf(out);
  }

  /**
   * Writes a per-container allocation as HAMi's {@code EncodePodSingleDevice} does: every
   * container terminated by {@code ;}, every device by {@code :}.
   *
   * @param containers one list of devices per container slot, init containers first
   * @return the annotation value
   */
  public static String writeAllocation(List<List<ContainerDevice>> containers) {
    StringBuilder sb = new StringBuilder();
    for (List<ContainerDevice> c : containers) {
      for (ContainerDevice d : c) {
        sb.append(d.uuid()).append(',').append(d.type()).append(',').append(d.usedMem())
            .append(',').append(d.usedCores()).append(':');
      }
      sb.append(';');
    }
    return sb.toString();
  }

  // ---------------------------------------------------------------------------------------------
  // helpers

  private static void checkText(String owner, String key, String value, ReadLimits limits) {
    if (value == null) {
      throw new ParseException(owner, 0, 0, key, "the annotation value is null");
    }
    limits.checkText(owner + " " + key, value);
  }

  private static ParseException error(String owner, String key, int offset, String problem) {
    return new ParseException(owner, 1, offset + 1, key, "at offset " + offset + ": " + problem);
  }

  /** Ranges {start, end} of the fields of value[start, end) split at {@code sep}. */
  private static List<int[]> split(String value, int start, int end, char sep) {
    List<int[]> out = new ArrayList<>();
    int s = start;
    for (int i = start; i <= end; i++) {
      if (i == end || value.charAt(i) == sep) {
        out.add(new int[] {s, i});
        s = i + 1;
        if (out.size() > 16) {
          break;
        }
      }
    }
    return out;
  }

  private static String field(String value, int[] r) {
    return value.substring(r[0], r[1]);
  }

  /** A decimal int32 as Go's ParseInt(s, 10, 32) reads it: optional sign, digits. */
  private static int integer(String owner, String key, String value, int[] r, String name) {
    String s = field(value, r);
    int i = 0;
    if (!s.isEmpty() && (s.charAt(0) == '+' || s.charAt(0) == '-')) {
      i = 1;
    }
    boolean ok = i < s.length() && s.length() - i <= 11;
    for (int k = i; ok && k < s.length(); k++) {
      ok = s.charAt(k) >= '0' && s.charAt(k) <= '9';
    }
    long v = ok ? Long.parseLong(s) : 0;
    if (!ok || v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
      throw error(owner, key, r[0], name + " is '" + s + "'; allowed: a 32-bit decimal integer");
    }
    return (int) v;
  }

  private static boolean bool(String owner, String value, int[] r) {
    switch (field(value, r)) {
      case "1": case "t": case "T": case "TRUE": case "true": case "True":
        return true;
      case "0": case "f": case "F": case "FALSE": case "false": case "False":
        return false;
      default:
        throw error(owner, NODE_REGISTER, r[0], "health is '" + field(value, r)
            + "'; allowed: true or false (Go's boolean syntax)");
    }
  }

  private static ObjectMapper mapper(ReadLimits limits) {
    StreamReadConstraints c = StreamReadConstraints.builder()
        .maxDocumentLength(limits.maxBytes())
        .maxNestingDepth(limits.maxDepth() + 1)
        .maxStringLength(limits.maxScalarLength())
        .maxNameLength(limits.maxScalarLength())
        .maxNumberLength(Math.min(1000, limits.maxScalarLength()))
        .build();
    return new ObjectMapper(JsonFactory.builder().streamReadConstraints(c)
        .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build());
  }

  private static JsonNode parse(String owner, String key, String text, ReadLimits limits) {
    ObjectMapper m = limits.equals(ReadLimits.defaults()) ? DEFAULT : mapper(limits);
    try (JsonParser p = m.getFactory().createParser(text)) {
      JsonNode root = m.readTree(p);
      if (root == null || root.isMissingNode()) {
        throw error(owner, key, 0, "the value is empty; expected a JSON array");
      }
      if (p.nextToken() != null) {
        throw error(owner, key, (int) p.currentTokenLocation().getCharOffset(),
            "unexpected content after the JSON array");
      }
      return root;
    } catch (JsonProcessingException e) {
      JsonLocation at = e.getLocation();
      int off = at == null ? 0 : (int) Math.max(0, at.getCharOffset());
      throw new ParseException(owner, 1, off + 1, key,
          "at offset " + off + ": not valid JSON: " + e.getOriginalMessage(), e);
    } catch (IOException e) {
      throw new ParseException(owner, 0, 0, key, "cannot read the value: " + e, e);
    }
  }

  /** The field named {@code name}, matched case-insensitively (exact match first). */
  private static @Nullable JsonNode get(JsonNode o, String name) {
    JsonNode exact = o.get(name);
    if (exact != null) {
      return exact;
    }
    for (Map.Entry<String, JsonNode> e : o.properties()) {
      if (e.getKey().toLowerCase(Locale.ROOT).equals(name.toLowerCase(Locale.ROOT))) {
        return e.getValue();
      }
    }
    return null;
  }

  private static String str(String owner, String path, JsonNode o, String name) {
    JsonNode n = get(o, name);
    if (n == null || n.isNull()) {
      return "";
    }
    if (!n.isTextual()) {
      throw new ParseException(owner, 0, 0, path + "." + name, "expected a string, found " + n);
    }
    return n.asText();
  }

  private static int num(String owner, String path, JsonNode o, String name) {
    JsonNode n = get(o, name);
    if (n == null || n.isNull()) {
      return 0;
    }
    if (!n.isIntegralNumber() || !n.canConvertToInt()) {
      throw new ParseException(owner, 0, 0, path + "." + name,
          "expected a 32-bit integer, found " + n);
    }
    return n.intValue();
  }

  private static boolean boolValue(String owner, String path, JsonNode o, String name) {
    JsonNode n = get(o, name);
    if (n == null || n.isNull()) {
      return false;
    }
    if (!n.isBoolean()) {
      throw new ParseException(owner, 0, 0, path + "." + name, "expected true or false, found " + n);
    }
    return n.asBoolean();
  }
}
