import { badInput } from '../../common/errors';
import type { AvatarHashes } from '../mirrors/engine/avatar-variants';
import type { TaskPool } from '../../workers/task-pool';

/** Avatar images are decoded in memory; larger uploads are refused. */
export const MAX_AVATAR_BYTES = 2 * 1024 * 1024;

/**
 * Hashes uploaded avatars (base64) in the worker pool, all in one task: for each entry its hashes,
 * or null where there was no image. An upload too large or that does not decode is BAD_USER_INPUT,
 * before anything is written.
 */
export async function hashAvatarImages(workers: TaskPool, profiles: { avatarImage?: string | null; avatarPdq?: string | null }[]): Promise<(AvatarHashes | null)[]> {
  // Which of two avatars the account has is not PAX's to guess.
  if (profiles.some((p) => p.avatarImage && p.avatarPdq)) throw badInput('send the avatar as avatarImage or as avatarPdq, not both', { field: 'avatarPdq' });
  const uploads = profiles.map((p) => p.avatarImage);
  const images = uploads.flatMap((upload) => (upload ? [Buffer.from(upload, 'base64')] : []));
  if (images.some((bytes) => bytes.length > MAX_AVATAR_BYTES)) throw badInput('avatarImage is larger than 2 MiB');
  const hashes = images.length ? await workers.run('hashImages', images) : [];
  let next = 0;
  return uploads.map((upload) => {
    if (!upload) return null;
    const hashed = hashes[next++];
    if (!hashed) throw badInput('avatarImage is not an image PAX can decode (JPEG, PNG, WebP, GIF, TIFF or AVIF)');
    return hashed;
  });
}
