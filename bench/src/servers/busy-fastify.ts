// Bare Fastify plus BUSY_US microseconds of busy loop per request and nothing else: a calibration row. What it costs
// beyond BUSY_US is what this machine charges a server for being slower (fewer requests per event-loop turn, more
// kernel time per socket write as the client waits more often), which any verifier's own work pays too.
import Fastify from 'fastify';
import { bareEcho, serve } from './listen.js';

const busyMs = Number(process.env['BUSY_US'] ?? 0) / 1000;
const app = Fastify();
app.all('/*', async (request) => {
  const until = performance.now() + busyMs;
  while (performance.now() < until);
  return bareEcho(request.method, request.url, request.body ?? null);
});
await app.ready();
serve(`busy-${process.env['BUSY_US'] ?? 0}-fastify`, app.server);
