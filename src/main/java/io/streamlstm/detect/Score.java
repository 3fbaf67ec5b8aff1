package io.streamlstm.detect;

/**
 * What the detector says of one accepted reading, in the sensor's own units. Arrays are per channel,
 * in the order of {@link #channels()}; {@code channelShares} sum to 1 and say how much each channel
 * contributed to the likelihood.
 */
public record Score(
    long timestampMillis,
    String[] channels,
    double[] values,
    double[] expected,
    double[] lower,
    double[] upper,
    double[] error,
    double[] channelShares,
    double likelihood,
    boolean anomaly,
    boolean warmingUp,
    String modelVersion) {}
