package io.streamlstm.lstm;

import java.util.Map;

/**
 * A trained network with everything needed to use it on a stream: how readings are normalised, the
 * options it was trained with, and free-form training metadata (seed, data, epochs, loss, ...).
 * {@code version} identifies the model in scores and metrics (derived from the model file's checksum).
 */
public record Model(
    Network network, Normalisation normalisation, Map<String, String> metadata, String version) {}
