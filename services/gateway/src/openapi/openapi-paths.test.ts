import { openApiPathOf, pathParameterNames } from './openapi-paths.js';

test('express parameters become OpenAPI ones, in order', () => {
  expect(openApiPathOf('/projects/:id/artifacts/:fileId')).toBe('/projects/{id}/artifacts/{fileId}');
  expect(openApiPathOf('/api/dead-letters/hitl/:queue/replay')).toBe('/api/dead-letters/hitl/{queue}/replay');
  expect(pathParameterNames('/projects/:id/artifacts/:fileId')).toEqual(['id', 'fileId']);
  expect(pathParameterNames('/jobs')).toEqual([]);
});
