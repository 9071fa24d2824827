import { runGatewayProcess } from '@keygate/gateway-config';
import { createKoaGateway } from './app.js';

runGatewayProcess('koa-gateway', createKoaGateway);
