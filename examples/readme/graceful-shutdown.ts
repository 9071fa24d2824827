import type { Server } from 'node:http';

/**
 * Stops `server` on SIGTERM the way the demo gateways do: no new connections; the requests in flight finish, and
 * a request still arriving on an open connection is answered with `Connection: close`; keep-alive connections close
 * as soon as they are idle; whatever is left at `deadlineMs` is cut. Close the replay store (Redis) only after this resolves: requests still in flight
 * claim their salts in it, and would fail closed (503) without it.
 */
export function stopGracefully(server: Server, deadlineMs = 10_000): Promise<void> {
  server.prependListener('request', (_req, res) => res.setHeader('connection', 'close'));
  const sweep = setInterval(() => server.closeIdleConnections(), 25);
  const deadline = setTimeout(() => server.closeAllConnections(), deadlineMs);
  return new Promise((resolve) => {
    server.close(() => {
      clearInterval(sweep);
      clearTimeout(deadline);
      resolve();
    });
  });
}

// const server = app.listen(3000);
// process.once('SIGTERM', async () => {
//   await stopGracefully(server);
//   await redis.close();
//   process.exit(0);
// });
