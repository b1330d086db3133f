import { AvatarHashes, avatarHashes } from '../modules/mirrors/engine/avatar-variants';
import { PaxError } from '../common/errors';
import { parseSanctionsList } from '../modules/designations/lists/parse-list';
import { DesignationSource, SanctionsList } from '../modules/designations/lists/sanctions-list';

/** A refusal as data: an error thrown in a thread reaches the caller without its GraphQL code and details. */
export interface TaskRefusal {
  message: string;
  extensions: Record<string, unknown>;
}

/**
 * The tasks the worker pool runs. Each takes one structured-clonable argument and returns a
 * structured-clonable result, so the same function runs in a worker or, with the pool off, inline.
 */
export const tasks = {
  /** PDQ of each image with the hashes of its normalised forms, or null for bytes that do not decode as an image. */
  async hashImages(images: Uint8Array[]): Promise<(AvatarHashes | null)[]> {
    const results: (AvatarHashes | null)[] = [];
    for (const image of images) results.push(await avatarHashes(Buffer.from(image.buffer, image.byteOffset, image.byteLength)).catch(() => null));
    return results;
  },

  /** A published designation list, parsed off the event loop: a 20,000-entity list held it for seconds. */
  async parseDesignationList({ source, content }: { source: DesignationSource; content: string }): Promise<{ list: SanctionsList } | { refusal: TaskRefusal }> {
    try {
      return { list: parseSanctionsList(source, content) };
    } catch (error) {
      if (error instanceof PaxError) return { refusal: { message: error.message, extensions: { ...error.extensions } } };
      throw error;
    }
  },
};

export type Tasks = typeof tasks;
export type TaskName = keyof Tasks;
export type TaskInput<N extends TaskName> = Parameters<Tasks[N]>[0];
export type TaskOutput<N extends TaskName> = Awaited<ReturnType<Tasks[N]>>;

/** The pool's one entry point (piscina calls the default export): a task by name. */
export default function runTask<N extends TaskName>({ name, input }: { name: N; input: TaskInput<N> }): Promise<TaskOutput<N>> {
  return (tasks[name] as (input: TaskInput<N>) => Promise<TaskOutput<N>>)(input);
}
