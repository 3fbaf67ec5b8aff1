package io.streamlstm.detect;

/**
 * What the detector says of one accepted reading, in the sensor's own units. Arrays are per channel,
 * in the order of {@link #channels()}; {@code channelShares} sum to 1 and say how much each channel
 * contributed to the likelihood. {@code surprise} is −log10 of the tail probability behind the likelihood
 * ({@code likelihood = 1 − 10^−surprise}): where the likelihood reads 0.99999… or rounds to 1, the surprise
 * still ranks one anomaly above another. Both are 0 while warming up. {@code explanation} says which evidence
 * decided the score, by how much, and against what reference.
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
    double surprise,
    boolean anomaly,
    boolean warmingUp,
    String modelVersion,
    Explanation explanation) {}
