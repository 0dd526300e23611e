import { api } from '../../api/client';
import type { ConfigView, GlobalGateConfig, ProjectGateOverrides } from './types';

export const GATE_CONFIG_KEY = ['gates', 'config'] as const;
export const overridesKey = (projectId: string) => ['gates', 'overrides', projectId] as const;

export const fetchGateConfig = () => api<ConfigView<GlobalGateConfig>>('GET', '/api/gates/config');

export const overridesPath = (projectId: string) =>
  `/api/projects/${encodeURIComponent(projectId)}/gate-overrides`;

export const fetchOverrides = (projectId: string) =>
  api<ConfigView<ProjectGateOverrides>>('GET', overridesPath(projectId));
