import { runGatewayProcess } from '@keygate/gateway-config';
import { createHonoGateway } from './app.js';

runGatewayProcess('hono-gateway', createHonoGateway);
