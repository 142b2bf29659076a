package io.tollgate.persistence.cassandra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class CassandraMainTest {

  @Test
  void reads_data_folder_ports_and_heap_from_its_arguments() {
    CassandraLauncher.Options options = CassandraMain.parse(
        new String[] {"--data", "/tmp/tg-c", "--port", "19042", "--storage-port", "17000", "--heap", "512m"});

    assertThat(options.dataDir()).isEqualTo(Path.of("/tmp/tg-c"));
    assertThat(options.nativePort()).isEqualTo(19042);
    assertThat(options.storagePort()).isEqualTo(17000);
    assertThat(options.heap()).isEqualTo("512m");
    assertThat(options.logFile()).isEqualTo(Path.of("/tmp/tg-c/cassandra.log"));
  }

  @Test
  void picks_free_ports_when_none_are_given() {
    CassandraLauncher.Options options = CassandraMain.parse(new String[] {"--data", "/tmp/tg-c"});

    assertThat(options.nativePort()).isZero();
    assertThat(options.storagePort()).isZero();
    assertThat(options.heap()).isEqualTo("256m");
  }

  @Test
  void refuses_to_run_without_a_data_folder_or_with_unknown_options() {
    assertThatThrownBy(() -> CassandraMain.parse(new String[] {"--port", "9042"}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("--data");
    assertThatThrownBy(() -> CassandraMain.parse(new String[] {"--data", "/tmp/x", "--verbose", "yes"}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("--verbose");
  }
}
