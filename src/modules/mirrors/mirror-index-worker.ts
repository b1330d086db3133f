import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { workerModule } from '../../workers/worker-module';
import { workersBusy } from '../../workers/task-pool';
import { answer, IndexChanges, IndexReply, IndexRequest } from './engine/index-thread';
import { MirrorIndex, MirrorMatch, ScreeningSubject, ScreenOptions } from './engine/mirror-index';

/** The mirror index as the service uses it, wherever it lives. */
export interface MirrorIndexHandle {
  /** Resolves with the number of indexed accounts once the changes are in. */
  apply(changes: IndexChanges): Promise<number>;
  /** The matches of each subject, in order. */
  screen(subjects: ScreeningSubject[], options: ScreenOptions): Promise<MirrorMatch[][]>;
  has(id: string): Promise<boolean>;
  close(): Promise<void>;
}

/** The index on the event loop (PAX_WORKER_THREADS=0): a screening blocks every other request. */
export class InlineMirrorIndex implements MirrorIndexHandle {
  private readonly index = new MirrorIndex();

  async apply(changes: IndexChanges): Promise<number> {
    return answer(this.index, { op: 'apply', changes }) as number;
  }

  async screen(subjects: ScreeningSubject[], options: ScreenOptions): Promise<MirrorMatch[][]> {
    return answer(this.index, { op: 'screen', subjects, options }) as MirrorMatch[][];
  }

  async has(id: string): Promise<boolean> {
    return this.index.has(id);
  }

  async close(): Promise<void> {}
}

/**
 * Profiles go to the index thread in slices, each posted when the previous one is answered, so
 * concurrent screenings take turns on the thread instead of one batch holding it for a second.
 */
const SLICE = 100;

/**
 * The index in its own thread, so that building it and every screening run off the event loop.
 * Profiles waiting for the thread are bounded (`screeningQueue`); a screening that would go past
 * the bound is refused with RATE_LIMITED, unless the thread is idle. If the thread dies, every
 * waiting call fails and `onFailure` runs: the service then rebuilds the index in a new thread.
 */
export class MirrorIndexWorker implements MirrorIndexHandle {
  readonly thread: Worker;
  private readonly waiting = new Map<number, { resolve: (value: never) => void; reject: (error: Error) => void }>();
  private sequence = 0;
  private queuedProfiles = 0;
  private failure?: Error;
  private closing = false;

  constructor(
    private readonly screeningQueue: number,
    onFailure: (error: Error) => void,
  ) {
    const { filename, execArgv } = workerModule(path.join(__dirname, 'engine'), 'index-thread');
    this.thread = new Worker(filename, { execArgv });
    this.thread.on('message', (reply: IndexReply) => {
      const waiter = this.waiting.get(reply.seq);
      this.waiting.delete(reply.seq);
      if (reply.ok) waiter?.resolve(reply.value as never);
      else waiter?.reject(new Error(`mirror index: ${reply.message}`));
    });
    const fail = (error: Error) => {
      if (this.closing || this.failure) return;
      this.failure = error;
      this.rejectWaiting(error);
      onFailure(error);
    };
    this.thread.on('error', fail);
    this.thread.on('exit', (code) => fail(new Error(`the mirror index thread stopped (exit code ${code})`)));
  }

  apply(changes: IndexChanges): Promise<number> {
    return this.ask({ op: 'apply', changes });
  }

  async screen(subjects: ScreeningSubject[], options: ScreenOptions): Promise<MirrorMatch[][]> {
    if (this.queuedProfiles > 0 && this.queuedProfiles + subjects.length > this.screeningQueue) throw workersBusy('mirror screening');
    this.queuedProfiles += subjects.length;
    let left = subjects.length;
    try {
      const results: MirrorMatch[][] = [];
      for (let i = 0; i < subjects.length; i += SLICE) {
        const slice = subjects.slice(i, i + SLICE);
        results.push(...(await this.ask<MirrorMatch[][]>({ op: 'screen', subjects: slice, options })));
        this.queuedProfiles -= slice.length;
        left -= slice.length;
      }
      return results;
    } finally {
      this.queuedProfiles -= left;
    }
  }

  has(id: string): Promise<boolean> {
    return this.ask({ op: 'has', id });
  }

  async close(): Promise<void> {
    this.closing = true;
    this.failure = new Error('the mirror index is shutting down');
    this.rejectWaiting(this.failure);
    await this.thread.terminate();
  }

  private ask<T>(request: IndexRequest): Promise<T> {
    if (this.failure) return Promise.reject(this.failure);
    const seq = ++this.sequence;
    return new Promise<T>((resolve, reject) => {
      this.waiting.set(seq, { resolve: resolve as (value: never) => void, reject });
      this.thread.postMessage({ seq, request });
    });
  }

  private rejectWaiting(error: Error) {
    for (const { reject } of this.waiting.values()) reject(error);
    this.waiting.clear();
  }
}
