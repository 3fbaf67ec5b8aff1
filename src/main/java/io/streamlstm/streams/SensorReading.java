package io.streamlstm.streams;

import io.streamlstm.detect.Reading;

/** A parsed reading together with the sensor it belongs to. */
public record SensorReading(String sensorId, Reading reading) {}
