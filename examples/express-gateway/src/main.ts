import { runGatewayProcess } from '@keygate/gateway-config';
import { createExpressGateway } from './app.js';

runGatewayProcess('express-gateway', createExpressGateway);
