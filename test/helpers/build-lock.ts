import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT } from './gateways.js';

/** One lock per checkout, so two clones testing side by side do not wait for each other. */
const LOCK = join(tmpdir(), `keygate-build-lock-${Buffer.from(ROOT).toString('base64url')}`);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function holderAlive(): boolean {
  try {
    process.kill(Number(readFileSync(join(LOCK, 'pid'), 'utf8')), 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * Runs `work` while no other test file of this checkout builds or runs the packages' dist output: the consumer test
 * rebuilds every dist from scratch, and `pnpm demo` builds into and runs from it. Test files run in processes of their
 * own, so the lock is a directory; a lock whose holder has died is taken over.
 */
export async function withBuildLock<T>(work: () => Promise<T>): Promise<T> {
  for (;;) {
    try {
      mkdirSync(LOCK);
      writeFileSync(join(LOCK, 'pid'), String(process.pid));
      break;
    } catch {
      if (!holderAlive()) rmSync(LOCK, { recursive: true, force: true });
      else await sleep(200);
    }
  }
  try {
    return await work();
  } finally {
    rmSync(LOCK, { recursive: true, force: true });
  }
}
