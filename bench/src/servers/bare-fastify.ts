// Bare Fastify 5: its own JSON parser (bodyLimit 1 MiB, the default) and the same echo as the gateway, no
// authentication. The 1.0 of the Fastify figures.
import Fastify from 'fastify';
import { bareEcho, serve } from './listen.js';

const app = Fastify();
app.all('/*', async (request) => bareEcho(request.method, request.url, request.body ?? null));
await app.ready();
serve('bare-fastify', app.server);
