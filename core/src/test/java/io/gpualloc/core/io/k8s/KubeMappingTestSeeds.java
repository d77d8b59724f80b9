package io.gpualloc.core.io.k8s;

/** Seed documents of the mapping tests, for the fuzz targets of other packages. */
public final class KubeMappingTestSeeds {
  private KubeMappingTestSeeds() {}

  /**
   * A full pod with an init container, a sidecar and HAMi resources.
   *
   * @return the pod's JSON
   */
  public static String pod() {
    String sidecar = "{\"name\":\"proxy\",\"restartPolicy\":\"Always\",\"resources\":"
        + "{\"requests\":{\"cpu\":\"200m\"}}}";
    return KubeMappingTest.pod(KubeMappingTest.container("main", "\"cpu\":\"500m\","
        + "\"memory\":\"16Gi\"", "\"nvidia.com/gpu\":\"2\",\"nvidia.com/gpumem\":\"20000\","
        + "\"nvidia.com/gpucores\":\"30\""), sidecar + ","
        + KubeMappingTest.container("init", "\"cpu\":\"1\"", ""), "\"overhead\":{\"cpu\":\"100m\"},");
  }
}
