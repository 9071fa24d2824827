import { runGatewayProcess } from '@keygate/gateway-config';
import { createFastifyGateway } from './app.js';

runGatewayProcess('fastify-gateway', createFastifyGateway);
