import { AvatarHashes, avatarHashes } from '../modules/mirrors/engine/avatar-variants';

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
};

export type Tasks = typeof tasks;
export type TaskName = keyof Tasks;
export type TaskInput<N extends TaskName> = Parameters<Tasks[N]>[0];
export type TaskOutput<N extends TaskName> = Awaited<ReturnType<Tasks[N]>>;

/** The pool's one entry point (piscina calls the default export): a task by name. */
export default function runTask<N extends TaskName>({ name, input }: { name: N; input: TaskInput<N> }): Promise<TaskOutput<N>> {
  return (tasks[name] as (input: TaskInput<N>) => Promise<TaskOutput<N>>)(input);
}
