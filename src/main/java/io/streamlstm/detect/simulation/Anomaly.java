package io.streamlstm.detect.simulation;

/** Ground truth: {@code sensorId} showed {@code kind} from {@code startMillis} to {@code endMillis}, inclusive. */
public record Anomaly(String sensorId, long startMillis, long endMillis, AnomalyKind kind) {}
