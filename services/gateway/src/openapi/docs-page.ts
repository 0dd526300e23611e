import { gatewayRoutes } from '@delivery/contracts/routes';
import { CSRF_HEADER } from '../http/gateway-auth.js';

export const DOCUMENT_PATH = gatewayRoutes.openApiDocument.path;
export const DOCS_PATH = gatewayRoutes.docsPage.path;
export const DOCS_SCRIPT_PATH = `${DOCS_PATH}/init.js`;
export const DOCS_ASSETS_PATH = `${DOCS_PATH}/assets`;
/** Where a signed-in browser reads its session's CSRF token (the gateway's auth routes). */
const SESSION_PATH = gatewayRoutes.session.path;

/** The files of swagger-ui-dist the page uses: only these are served, nothing else of the package. */
export const DOCS_ASSETS = ['swagger-ui-bundle.js', 'swagger-ui.css', 'favicon-32x32.png'] as const;

/**
 * The docs page: Swagger UI from the gateway's own copy of swagger-ui-dist, started by a script
 * file rather than an inline one, so a content security policy of `script-src 'self'` allows it.
 */
export const DOCS_HTML = `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <title>Delivery pipeline API</title>
    <link rel="stylesheet" href="${DOCS_ASSETS_PATH}/swagger-ui.css">
    <link rel="icon" type="image/png" href="${DOCS_ASSETS_PATH}/favicon-32x32.png">
  </head>
  <body>
    <div id="swagger-ui"></div>
    <script src="${DOCS_ASSETS_PATH}/swagger-ui-bundle.js"></script>
    <script src="${DOCS_SCRIPT_PATH}"></script>
  </body>
</html>
`;

/**
 * Starts Swagger UI on the document. "Try it out" from a signed-in browser sends the session
 * cookie by itself; the CSRF token its state-changing requests need is read from the session and
 * added here. The validator badge is off: it would load from validator.swagger.io.
 */
export const DOCS_SCRIPT = `'use strict';
(function () {
  var csrfToken;
  fetch(${JSON.stringify(SESSION_PATH)}, { credentials: 'same-origin' })
    .then(function (response) { return response.ok ? response.json() : {}; })
    .then(function (session) { csrfToken = session.csrfToken; })
    .catch(function () {});
  window.ui = SwaggerUIBundle({
    url: ${JSON.stringify(DOCUMENT_PATH)},
    dom_id: '#swagger-ui',
    deepLinking: true,
    validatorUrl: null,
    requestInterceptor: function (request) {
      var method = (request.method || 'GET').toUpperCase();
      if (csrfToken && method !== 'GET' && method !== 'HEAD' && method !== 'OPTIONS') {
        request.headers[${JSON.stringify(CSRF_HEADER)}] = csrfToken;
      }
      return request;
    },
  });
})();
`;
