package io.gpualloc.benchmarks;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * Runs the independent runs of a replay command on a fixed pool of daemon threads, with an ASCII
 * progress bar on the command's error stream, and returns their results in task order (so the
 * output does not depend on which thread finished first).
 */
public final class ParallelRuns {

  private ParallelRuns() {}

  /**
   * Runs every task and waits for all of them.
   *
   * @param <T> the result type
   * @param name the thread and progress bar name
   * @param threads the pool size, at least 1
   * @param progress where the progress bar goes, or {@code null} for none
   * @param tasks the runs
   * @return the results, in the order of {@code tasks}
   * @throws InterruptedException when interrupted while waiting
   * @throws RuntimeException the first failed run's own exception, rethrown
   */
  public static <T> List<T> runAll(String name, int threads, PrintStream progress,
      List<Callable<T>> tasks) throws InterruptedException {
    ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
      Thread t = new Thread(r, name);
      t.setDaemon(true);
      return t;
    });
    try (ProgressBar bar = progress == null ? null : new ProgressBarBuilder()
        .setTaskName(name).setInitialMax(tasks.size()).setStyle(ProgressBarStyle.ASCII)
        .setConsumer(new ConsoleProgressBarConsumer(progress))
        .continuousUpdate().build()) {
      List<Future<T>> futures = new ArrayList<>();
      for (Callable<T> task : tasks) {
        futures.add(pool.submit(() -> {
          T r = task.call();
          if (bar != null) {
            bar.step();
          }
          return r;
        }));
      }
      List<T> results = new ArrayList<>();
      for (Future<T> f : futures) {
        try {
          results.add(f.get());
        } catch (ExecutionException e) {
          if (e.getCause() instanceof RuntimeException re) {
            throw re;
          }
          throw new IllegalStateException(e.getCause());
        }
      }
      return results;
    } finally {
      pool.shutdownNow();
    }
  }
}
