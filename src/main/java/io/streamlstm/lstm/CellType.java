package io.streamlstm.lstm;

/** The recurrent cell of every layer of a network. */
public enum CellType {
  /** Long short-term memory: forget, input and output valves around a cell state C. */
  LSTM,
  /** Plain tanh recurrent layer, the vanishing-gradient baseline. */
  RNN
}
