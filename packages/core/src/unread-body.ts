import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { nonNegativeInteger, parseByteLimit } from './options.js';

/**
 * What keygate does with the part of a body it did not read, after it answered early (a 413, or a header-only scheme
 * refusing bad credentials before reading the body).
 *
 * @example
 * app.use(keygate(valiant({ secrets }), { lingerBytes: '1mb', lingerMs: 1000 }));
 */
export interface LingerOptions {
  /** Most bytes discarded after an early answer to a body over the limit, before keygate stops reading: bytes or '4mb' (default 4 MiB). */
  readonly lingerBytes?: number | string;
  /** Longest a connection is kept once an early answer was sent while the body is still arriving, in ms (default 2000). */
  readonly lingerMs?: number;
}

/** Resolved `LingerOptions`. */
export interface LingerBounds {
  /** The most unread body bytes discarded before the connection is closed (`lingerBytes`). */
  readonly bytes: number;
  /** The longest time spent discarding them, in milliseconds (`lingerMs`). */
  readonly ms: number;
}

/** `lingerBytes` when not given: 4 MiB. */
export const DEFAULT_LINGER_BYTES = 4 * 1024 * 1024;
/** `lingerMs` when not given: 2 s, as Apache's lingering close waits. */
export const DEFAULT_LINGER_MS = 2000;

/** Checks `lingerBytes` and `lingerMs` once; a bad value is a TypeError at start-up. */
export function lingerBounds(options: LingerOptions): LingerBounds {
  return {
    bytes: parseByteLimit('lingerBytes', options.lingerBytes, DEFAULT_LINGER_BYTES),
    ms: nonNegativeInteger('lingerMs', options.lingerMs, DEFAULT_LINGER_MS),
  };
}

/**
 * After a failed verification, before the answer is written: decides what becomes of the body bytes nobody read.
 * Nothing, when the whole message already arrived, the client is gone or another reader owns the stream. Otherwise
 * `discardUnreadBody`, closing the connection unless the rest is known to fit the limit: a body keygate stopped at
 * the limit (`tooLarge`), a declared length over it, and a chunked body of unknown length all close it. (Switching a
 * connection to close after a keep-alive answer was sent would fail the client's next request on it.)
 */
export function settleUnreadBody(req: IncomingMessage, res: ServerResponse, tooLarge: boolean, limit: number, bounds: LingerBounds): void {
  if (req.complete || req.destroyed || req.readableEnded) return;
  // keygate's own read pauses the stream when it stops at the limit; any other reader (an earlier body parser) that
  // touched the stream owns what is left of it.
  if (!tooLarge && req.readableFlowing !== null) return;
  const headers = req.headers;
  const close = tooLarge || headers['transfer-encoding'] !== undefined || Number(headers['content-length']) > limit;
  discardUnreadBody(req, res, { close, bounds });
}

/** How `discardUnreadBody` treats one request. */
export interface UnreadBodyPlan {
  /** Answer with `Connection: close` and end with a lingering close; otherwise discard the rest and keep the connection. */
  readonly close: boolean;
  /** The limits of the discarding. */
  readonly bounds: LingerBounds;
}

/**
 * Sees to the rest of a request body that will not be read, once the answer is decided: never buffered, and never
 * left for Node to drop the connection under a client that is still sending, which makes the kernel reset it and
 * lose the answer before the client reads it (a Node `http` client uploading 8 MiB saw EPIPE instead of its 413
 * nine times in ten).
 *
 * - `close: false`: the rest is discarded as it arrives and the connection stays open for the next request.
 * - `close: true`: the answer carries `Connection: close`. Once it is sent the connection is half-closed, so the
 *   client reads the answer and an end of stream, then closed lingering, as nginx and Apache do: up to
 *   `bounds.bytes` more are discarded, after which keygate stops reading, so a client that keeps sending stalls
 *   until it reads its answer. The connection closes once the client has sent everything.
 * - Either way the socket is destroyed `bounds.ms` after the answer was sent if the body is still arriving: a client
 *   that never stops holds a connection that long and costs the server reading at most `bounds.bytes`.
 *
 * @example
 * // A route that answers without reading the body (a health check), before writing its answer:
 * discardUnreadBody(req, res, { close: req.headers['transfer-encoding'] !== undefined, bounds: lingerBounds({}) });
 */
export function discardUnreadBody(req: IncomingMessage, res: ServerResponse, plan: UnreadBodyPlan): void {
  const socket = req.socket as Socket | null;
  if (socket === null || socket.destroyed) return;
  const { close, bounds } = plan;
  let budget = bounds.bytes;
  let answered = res.writableFinished;
  let timer: NodeJS.Timeout | undefined;

  const cleanup = (): void => {
    clearTimeout(timer);
    req.off('data', onData);
    req.off('end', onEnd);
    res.off('finish', onAnswered);
    socket.off('close', cleanup);
  };
  function onData(chunk: Buffer): void {
    if (!close || (budget -= chunk.length) >= 0) return;
    req.off('data', onData);
    req.pause();
  }
  function onEnd(): void {
    cleanup();
    // The client sent it all: once the answer is out, the connection ends the way Node ends any closing one.
    if (close && answered) socket!.destroySoon();
  }
  function onAnswered(): void {
    answered = true;
    if (close) {
      // After a `Connection: close` answer Node ends the socket and destroys it as soon as the FIN is out, which
      // resets a connection whose client is still sending: keep it open for reading instead.
      if (socket!.writableEnded) socket!.removeListener('finish', socket!.destroy);
      else socket!.end();
    }
    timer = setTimeout(() => {
      cleanup();
      socket!.destroy();
    }, bounds.ms);
    timer.unref();
  }

  if (close && !res.headersSent) res.setHeader('connection', 'close');
  if (answered) onAnswered();
  else res.once('finish', onAnswered);
  socket.once('close', cleanup);
  req.on('data', onData);
  req.once('end', onEnd);
  req.resume();
}
