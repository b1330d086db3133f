import Piscina from 'piscina';
import { rateLimited } from '../common/errors';
import { workerModule } from './worker-module';
import runTask, { TaskInput, TaskName, TaskOutput } from './tasks';

export interface WorkerLimits {
  /** Threads in the pool; 0 runs tasks on the event loop (and keeps the mirror index there too). */
  threads: number;
  /** Tasks that may wait for a free thread; more are refused with RATE_LIMITED. */
  queue: number;
  /** Profiles that may wait for the mirror index thread; more are refused with RATE_LIMITED. */
  screeningQueue: number;
}

/** The RATE_LIMITED answer of a full worker queue: the work was not started, so a retry is safe. */
export const workersBusy = (what: string) => rateLimited(`${what} is at capacity; nothing was done, retry in a few seconds`);

/**
 * CPU-heavy work of requests runs on a fixed set of worker threads, so the event loop stays free
 * for I/O. The queue is bounded: past it a caller gets RATE_LIMITED at once, rather than waiting
 * behind work the pool may not catch up with.
 */
export class TaskPool {
  private readonly pool?: Piscina;

  constructor(private readonly limits: WorkerLimits) {
    // Threads start on first use: most processes (the CLI, most test suites) never hash an image.
    if (limits.threads > 0) this.pool = new Piscina({ ...workerModule(__dirname, 'tasks'), minThreads: 0, maxThreads: limits.threads, idleTimeout: 60_000 });
  }

  async run<N extends TaskName>(name: N, input: TaskInput<N>): Promise<TaskOutput<N>> {
    if (!this.pool) return runTask({ name, input });
    if (this.pool.queueSize >= this.limits.queue) throw workersBusy('the worker pool');
    return this.pool.run({ name, input });
  }

  /** Ends the threads; tasks still queued are rejected. */
  async close(): Promise<void> {
    await this.pool?.destroy();
  }
}
