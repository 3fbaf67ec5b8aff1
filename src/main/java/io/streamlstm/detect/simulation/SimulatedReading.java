package io.streamlstm.detect.simulation;

/** One reading the simulation produced; {@code anomalous} says whether a fault shaped it. */
public record SimulatedReading(String sensorId, long timestampMillis, double value, boolean anomalous) {}
