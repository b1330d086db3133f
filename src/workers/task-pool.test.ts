import { PaxError } from '../common/errors';
import { avatarHashes } from '../modules/mirrors/engine/avatar-variants';
import { DesignationSource } from '../modules/designations/lists/sanctions-list';
import { TaskPool } from './task-pool';
import { renderedLogo } from '../../tests/helpers/images';

describe('the worker pool', () => {
  const pool = new TaskPool({ threads: 1, queue: 1, screeningQueue: 1 });
  let IMAGE: Buffer;
  beforeAll(async () => {
    IMAGE = await renderedLogo();
  });
  afterAll(() => pool.close());

  it('hashes in a worker exactly as inline, and answers null for bytes that are no image', async () => {
    const [hashed, junk] = await pool.run('hashImages', [IMAGE, Buffer.from('not an image')]);
    expect(hashed).toEqual(await avatarHashes(IMAGE));
    expect(junk).toBeNull();
  });

  it('refuses a task with RATE_LIMITED when the queue is full, and takes it once there is room', async () => {
    const running = [pool.run('hashImages', Array(20).fill(IMAGE)), pool.run('hashImages', Array(20).fill(IMAGE))];
    const refused = await pool.run('hashImages', [IMAGE]).then(() => null, (error: PaxError) => error);
    expect(refused?.extensions.code).toBe('RATE_LIMITED');
    expect(refused?.message).toMatch(/retry/);
    expect((await Promise.all(running)).flat()).toHaveLength(40);
    expect(await pool.run('hashImages', [IMAGE])).toHaveLength(1);
  });

  it('parses a designation list in a worker, and brings a refusal back with its code and details', async () => {
    const csv = 'type,authority,list,reference,name,aliases,weak_aliases,designated_on\nentity,PK,NACTA First Schedule,NACTA-FS-1,Tehrik-i-Taliban Pakistan,TTP,,2008-08-25\n';
    const parsed = await pool.run('parseDesignationList', { source: DesignationSource.CSV, content: csv });
    expect(parsed).toMatchObject({ list: { entities: [{ reference: 'NACTA-FS-1', name: 'Tehrik-i-Taliban Pakistan' }] } });
    const refused = await pool.run('parseDesignationList', { source: DesignationSource.CSV, content: `${csv}entity,PK,NACTA First Schedule,NACTA-FS-1,Jamaat-ul-Ahrar,,,2017-07-06\n` });
    expect(refused).toEqual({
      refusal: { message: 'not a PAX designations CSV: line 3, column reference: the reference "NACTA-FS-1" is already on line 2; nothing was imported', extensions: { code: 'BAD_USER_INPUT', column: 'reference', line: 3 } },
    });
  });

  it('runs tasks on the event loop when it has no threads', async () => {
    const inline = new TaskPool({ threads: 0, queue: 1, screeningQueue: 1 });
    expect(await inline.run('hashImages', [IMAGE])).toEqual([await avatarHashes(IMAGE)]);
    await inline.close();
  });
});
