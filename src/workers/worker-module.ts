import path from 'node:path';

/**
 * How to start a worker thread on one of our modules. Built code runs the .js as it is. Under jest
 * the sources are .ts, which a worker cannot load by itself, so tsx's require hook compiles them;
 * worker code has no decorators, so esbuild's compilation is equivalent to tsc's there.
 */
export function workerModule(dir: string, name: string): { filename: string; execArgv?: string[] } {
  if (!__filename.endsWith('.ts')) return { filename: path.join(dir, `${name}.js`) };
  return { filename: path.join(dir, `${name}.ts`), execArgv: [...process.execArgv, '--require', 'tsx/cjs'] };
}
