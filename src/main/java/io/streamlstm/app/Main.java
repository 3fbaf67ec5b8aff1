package io.streamlstm.app;

import io.streamlstm.app.soak.SoakCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of {@code streamlstm}: one picocli command with a subcommand per job. */
@Command(
    name = "streamlstm",
    mixinStandardHelpOptions = true,
    version = "streamlstm 0.1.0",
    description = "Per-sensor LSTM anomaly detection for Kafka.",
    subcommands = {
      CommandLine.HelpCommand.class,
      TrainCommand.class,
      ScoreCommand.class,
      RunCommand.class,
      ModelCommand.class,
      ReplayCommand.class,
      SimulateCommand.class,
      DemoCommand.class,
      BenchCommand.class,
      NabCommand.class,
      SoakCommand.class,
    })
public final class Main implements Runnable {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }

  /** The configured command line, shared by {@link #main} and the CLI tests. */
  public static CommandLine commandLine() {
    return new CommandLine(new Main()).setExecutionExceptionHandler(Main::oneLineError);
  }

  /**
   * A command that fails (missing file, unreadable model, unreachable broker) says why in one line and
   * exits 1; the stack trace helps developers, not operators.
   */
  private static int oneLineError(Exception e, CommandLine commandLine, CommandLine.ParseResult parsed) {
    String reason = e.getMessage() != null ? e.getMessage() : e.toString();
    commandLine.getErr().println(commandLine.getCommandName() + ": " + reason.lines().findFirst().orElse(reason));
    return 1;
  }

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }
}
