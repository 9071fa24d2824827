// Shared by this package's unit tests only.
import { Writable } from 'node:stream';
import { pino, type Logger } from 'pino';

/** A pino logger writing synchronously into memory, and the lines it wrote, parsed. */
export function memoryLogger(level = 'info'): { logger: Logger; lines: () => Record<string, unknown>[] } {
  const written: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      written.push(chunk.toString());
      done();
    },
  });
  const logger = pino({ level }, sink);
  return {
    logger,
    lines: () => written.join('').split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as Record<string, unknown>),
  };
}
