import type { Server } from 'node:http';

/** Listens on PORT/HOST like the demo gateways, prints `listening on http://HOST:PORT`, stops on SIGTERM. */
export function serve(name: string, server: Server): void {
  const port = Number(process.env['PORT'] ?? 0);
  const host = process.env['HOST'] || '127.0.0.1';
  server.listen(port, host, () => {
    const address = server.address();
    console.log(`[${name}] listening on http://${host}:${typeof address === 'object' && address !== null ? address.port : port}`);
  });
  const stop = (): void => {
    server.close(() => process.exit(0));
    server.closeAllConnections();
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

/** The echo every bench server answers with: the gateway's shape, with no scheme and no principal. */
export function bareEcho(method: string, path: string, body: unknown): Record<string, unknown> {
  return { scheme: null, principal: null, method, path, body };
}
