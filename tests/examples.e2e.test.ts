import { ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import { Role } from '../src/auth/roles';
import { useCasework } from './helpers/casework';

const WATCH = path.join(__dirname, '..', 'examples', 'watch-takedowns.js');

/** Runs the README's watcher against the test server; resolves when it exits or prints its first event. */
function watch(env: Record<string, string>): { child: ChildProcess; output: Promise<{ code: number | null; stdout: string; stderr: string }>; firstLine: Promise<string> } {
  const child = spawn(process.execPath, [WATCH], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  let announce!: (line: string) => void;
  const firstLine = new Promise<string>((resolve) => (announce = resolve));
  child.stdout!.on('data', (chunk) => {
    stdout += chunk;
    if (stdout.includes('\n')) announce(stdout.split('\n')[0]);
  });
  child.stderr!.on('data', (chunk) => (stderr += chunk));
  const output = new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => child.on('exit', (code) => resolve({ code, stdout, stderr })));
  return { child, output, firstLine };
}

describe('the README worked example', () => {
  const t = useCasework();
  const urlEnv = () => ({ PAX_URL: t.exchange.wsUrl });

  it('the watcher prints a change the supervisor may see, wherever PAX listens', async () => {
    const { child, firstLine } = watch({ ...urlEnv(), SUP: t.cw.supervisor });
    // The watcher subscribes some time after it starts: draft until a draft reaches it.
    const drafts: string[] = [];
    let line: string | null = null;
    void firstLine.then((l) => (line = l));
    for (let i = 0; i < 40 && line === null; i++) {
      drafts.push((await t.cw.draft()).id);
      await new Promise((r) => setTimeout(r, 250));
    }
    const request = JSON.parse(await firstLine).takedownStatusChanged.request;
    expect(drafts).toContain(request.id);
    expect(request.status).toBe('DRAFT');
    child.kill();
  });

  it('the watcher fails at once, with a readable line, on a bad token, a missing token and no server', async () => {
    const bad = await watch({ ...urlEnv(), SUP: `${t.exchange.token('pta', Role.AGENCY_SUPERVISOR)}x` }).output;
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/PAX closed the connection: 4403 Unauthenticated/);
    const missing = await watch({ ...urlEnv(), SUP: '' }).output;
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/Set SUP to a token first/);
    const nowhere = await watch({ PAX_URL: 'ws://127.0.0.1:9/graphql', SUP: t.cw.supervisor }).output;
    expect(nowhere.code).toBe(1);
    expect(nowhere.stderr).toMatch(/PAX closed the connection|cannot reach PAX/);
  });
});
