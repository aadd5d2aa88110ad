// Renders openapi.json (beside this page) with Swagger UI, read-only: the published site has
// no API server behind it, so "Try it out" is off, and no validator badge (it would call a
// public validation service).
/* global SwaggerUIBundle */
if (typeof SwaggerUIBundle === "function") {
  window.ui = SwaggerUIBundle({
    url: "openapi.json",
    dom_id: "#swagger-ui",
    deepLinking: true,
    presets: [SwaggerUIBundle.presets.apis],
    layout: "BaseLayout",
    validatorUrl: null,
    supportedSubmitMethods: [],
    defaultModelsExpandDepth: 1,
  });
}
