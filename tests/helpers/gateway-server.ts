import { serve } from '@hono/node-server';
import type { Db } from '../../server/src/db/client';
import type { PaymentGatewaySim } from '../sim/payment-gateway-sim';
import { createTestServer } from './app';
import { freePort } from './processes';

/**
 * A test server on a real port, wired to the payment gateway simulator: the gateway calls back to PUBLIC_URL,
 * so the server listens where PUBLIC_URL says.
 */
export const startGatewayServer = async (db: Db, sim: PaymentGatewaySim) => {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const server = createTestServer(db, {
    env: {
      PUBLIC_URL: url,
      PAYMENT_GATEWAY_URL: sim.url,
      PAYMENT_MERCHANT_ID: sim.merchantId,
      PAYMENT_SECRET: sim.secret,
      PAYMENT_TIMEOUT_MS: '1500',
    },
  });
  const http = serve({ fetch: server.app.fetch, port, hostname: '127.0.0.1' });
  const close = () => new Promise<void>((r) => http.close(() => r()));
  return { server, url, close };
};
