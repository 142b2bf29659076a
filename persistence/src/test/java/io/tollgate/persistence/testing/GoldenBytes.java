package io.tollgate.persistence.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.serialization.SerializationExtension;

/** Loads event and snapshot bytes written by an earlier release, as the journal would. */
public final class GoldenBytes {
  /** Serializer id of Pekko's {@code jackson-cbor} binding. */
  private static final int JACKSON_CBOR = 33;

  private GoldenBytes() {}

  /** {@code golden/<folder>/<file>.cbor} from the test resources, deserialised as {@code manifest}. */
  public static Object load(ActorSystem<?> system, String folder, String file, String manifest) throws IOException {
    byte[] bytes;
    try (InputStream in = GoldenBytes.class.getClassLoader().getResourceAsStream("golden/" + folder + "/" + file + ".cbor")) {
      assertThat(in).as("golden file for " + file).isNotNull();
      bytes = in.readAllBytes();
    }
    return SerializationExtension.get(system.classicSystem()).deserialize(bytes, JACKSON_CBOR, manifest).get();
  }
}
