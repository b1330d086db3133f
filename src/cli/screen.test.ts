import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { screenFiles } from './screen';

describe('pax screen', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pax-screen-'));
  const write = (name: string, lines: object[]) => {
    const file = path.join(dir, name);
    fs.writeFileSync(file, lines.map((l) => JSON.stringify(l)).join('\n') + '\n');
    return file;
  };
  const collect = async (banned: string, candidates: string) => {
    const out = new PassThrough();
    const chunks: string[] = [];
    out.on('data', (c) => chunks.push(String(c)));
    const progress = new PassThrough();
    const shown: string[] = [];
    progress.on('data', (c) => shown.push(String(c)));
    const count = await screenFiles({ banned }, candidates, out, progress);
    return { count, lines: chunks.join('').trim().split('\n').map((l) => JSON.parse(l)), progress: shown.join('') };
  };

  it('writes one verdict line per candidate, with the matched id and the signals', async () => {
    const banned = write('banned.jsonl', [
      { id: 'b1', platform: 'X', handle: 'umar_media_ttp', displayName: 'Umar Media', bio: 'Backup t.me/umar_backup', links: [] },
      { id: 'b2', platform: 'TELEGRAM', handle: 'khorasan_voice', displayName: 'Khorasan Voice', bio: null, links: [] },
    ]);
    const candidates = write('candidates.jsonl', [
      { id: 'c1', platform: 'X', handle: 'umar_rnedia_ttp_official', bio: 'new: t.me/umar_backup' },
      { id: 'c2', platform: 'X', handle: 'cricket_lover_99', displayName: 'Ali', bio: 'Cricket and chai' },
    ]);
    const { count, lines, progress } = await collect(banned, candidates);
    expect(count).toBe(2);
    expect(lines[0]).toMatchObject({ id: 'c1', verdict: 'LIKELY_MIRROR', matchId: 'b1' });
    expect(lines[0].signals.join(' ')).toMatch(/umar_media_ttp/);
    expect(lines[1]).toMatchObject({ id: 'c2', verdict: 'NO_MATCH', matchId: null, signals: [] });
    expect(progress).toMatch(/screening candidates/);
  });

  it('names the file and line of bad input', async () => {
    const banned = write('bad.jsonl', [{ id: 'b1', platform: 'X', handle: 'ok' }]);
    fs.appendFileSync(banned, '{not json\n');
    await expect(collect(banned, banned)).rejects.toThrow(/bad\.jsonl line 2 is not JSON/);
  });
});
