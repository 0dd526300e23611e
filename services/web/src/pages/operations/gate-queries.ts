import { untypedApi } from '../../api/client';
import type { ConfigView, GlobalGateConfig, ProjectGateOverrides } from './types';

export const GATE_CONFIG_KEY = ['gates', 'config'] as const;
export const overridesKey = (projectId: string) => ['gates', 'overrides', projectId] as const;

export const fetchGateConfig = () => untypedApi<ConfigView<GlobalGateConfig>>('GET', '/api/gates/config');

export const overridesPath = (projectId: string) =>
  `/api/projects/${encodeURIComponent(projectId)}/gate-overrides`;

export const fetchOverrides = (projectId: string) =>
  untypedApi<ConfigView<ProjectGateOverrides>>('GET', overridesPath(projectId));
