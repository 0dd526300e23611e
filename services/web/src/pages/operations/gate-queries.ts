import { api } from '../../api/client';

export const GATE_CONFIG_KEY = ['gates', 'config'] as const;
export const overridesKey = (projectId: string) => ['gates', 'overrides', projectId] as const;

export const fetchGateConfig = () => api('GET /api/gates/config');

export const fetchOverrides = (projectId: string) =>
  api('GET /api/projects/:projectId/gate-overrides', { params: { projectId } });
