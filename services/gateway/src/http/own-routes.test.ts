import { gatewayRoutes } from '@delivery/contracts/routes';
import { silentLogger } from '@delivery/messaging';
import { testKeys } from '@delivery/testing';
import { listRoutes } from '@delivery/testing/fuzz';
import express from 'express';
import { configSchema } from '../config.js';
import { DOCS_ASSETS_PATH, DOCS_SCRIPT_PATH } from '../openapi/docs-page.js';
import { ownRoutes } from './own-routes.js';

test('the contracts name exactly the routes the gateway answers itself', async () => {
  const config = configSchema.parse({
    MONGO_URL: 'mongodb://unused',
    AMQP_URL: 'amqp://unused',
    PIPELINE_URL: 'http://unused',
    HITL_URL: 'http://unused',
    JOB_RUNNER_URL: 'http://unused',
    TEMPLATE_BLUEPRINT_URL: 'http://unused',
    IDENTITY_SIGNING_KEY: testKeys.signingKeyJson('gateway'),
  });
  const app = express();
  // Building the routers touches none of the stores: they are only used per request.
  const unused = undefined as never;
  ownRoutes({
    config,
    logger: silentLogger as never,
    accounts: unused,
    sessions: unused,
    keys: unused,
    audit: unused,
    throttle: unused,
    hub: unused,
  })(app);
  const server = app.listen(0);
  try {
    // The docs page's script and assets are files, not API routes: not in the document.
    const docsFiles = [`GET ${DOCS_SCRIPT_PATH}`, `GET ${DOCS_ASSETS_PATH}/:file`];
    const contracts = Object.values(gatewayRoutes).map((route) => route.key);
    // A route may be listed twice: its contract's handler after a limiter of its own (sign-in).
    expect([...contracts, ...docsFiles].sort()).toEqual([...new Set(listRoutes(server))].sort());
  } finally {
    server.close();
  }
});
