import { STAGES } from '@delivery/contracts/stages';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import type { ReactNode } from 'react';
import { MemoryRouter } from 'react-router';
import { afterEach, describe, expect, test } from 'vitest';
import type { PipelineView, ProjectDetail, StageState } from '../../api/answers';
import { DefectDecisions } from './DefectDecisions';
import { defectsToDecide } from './job-results';
import { ManagementForm } from './ManagementForm';
import { OnboardingForm } from './OnboardingForm';
import type { Permissions } from './permissions';
import { StageStepper } from './StageStepper';
import { StagesAhead } from './WhyPanel';

/** The components with their real providers; nothing here reaches the network (no submit is sent). */
const wrap = (children: ReactNode) =>
  render(
    <QueryClientProvider client={new QueryClient()}>
      <MemoryRouter>{children}</MemoryRouter>
    </QueryClientProvider>,
  );

afterEach(cleanup);

const stage = (status: StageState['status'], generation = 1): StageState => ({
  status,
  generation,
  blockedReasons: [],
  gatePoint: null,
  approvalId: null,
  jobId: null,
  note: null,
  startedAt: null,
  finishedAt: null,
  updatedAt: null,
});

const stages = Object.fromEntries(STAGES.map((key) => [key, stage('pending')])) as ProjectDetail['stages'];

const project = (overrides: Partial<ProjectDetail> = {}): ProjectDetail => ({
  id: '5d1c7a8e-0000-4000-8000-000000000001',
  name: 'Acme site',
  client: 'Acme',
  templateId: 't',
  templateVersion: 1,
  deliveryManagerId: null,
  requireManualReview: false,
  status: 'active',
  currentStage: '1_onboarding',
  requirements: {
    fields: [
      { key: 'domain', label: 'Domain', type: 'url', required: true },
      { key: 'seats', label: 'Seats', type: 'number', required: true, validation: { min: 1 } },
      { key: 'sso', label: 'Single sign-on', type: 'boolean', required: false },
    ],
    artifacts: [],
    blueprintRunId: null,
  },
  sale: null,
  onboarding: { answers: { seats: 3 }, updatedBy: null, updatedAt: null },
  assignees: [],
  files: [],
  outputs: {},
  stages,
  createdAt: '2026-11-26T10:00:00Z',
  updatedAt: '2026-11-26T10:00:00Z',
  ...overrides,
});

describe('the onboarding form', () => {
  test('is generated from the fields, with saved answers, completeness and rules', () => {
    wrap(<OnboardingForm project={project()} editable />);
    expect(screen.getByLabelText('Domain')).toHaveProperty('type', 'url');
    expect(screen.getByLabelText('Seats')).toHaveProperty('value', '3');
    expect(screen.getByLabelText('Single sign-on').tagName).toBe('SELECT');
    expect(screen.getByTestId('onboarding-completeness').textContent).toContain(
      '1 of 2 required questions answered',
    );
    expect(screen.getByText('Required · at least 1')).toBeTruthy();
  });

  test('shows a wrong answer beside its field and sends nothing while it is wrong', () => {
    wrap(<OnboardingForm project={project()} editable />);
    const domain = screen.getByLabelText('Domain');
    fireEvent.change(domain, { target: { value: 'acme' } });
    expect(screen.getByRole('alert').textContent).toBe('must be an http or https URL');
    expect(domain.getAttribute('aria-invalid')).toBe('true');
    fireEvent.click(screen.getByRole('button', { name: 'Save onboarding' }));
    // Still editable: the save was never started.
    expect(screen.getByRole('button', { name: 'Save onboarding' })).toHaveProperty('disabled', false);
    fireEvent.change(domain, { target: { value: 'https://acme.example' } });
    expect(screen.queryByRole('alert')).toBeNull();
    expect(screen.getByTestId('onboarding-completeness').textContent).toContain('(2 after saving)');
  });

  test('is read-only for someone who may not change it', () => {
    wrap(<OnboardingForm project={project()} editable={false} />);
    // Disabled through its fieldset, as the browser sees it.
    expect(screen.getByLabelText('Domain').matches(':disabled')).toBe(true);
    expect(screen.queryByRole('button', { name: 'Save onboarding' })).toBeNull();
  });

  test('says so when the blueprint is missing', () => {
    wrap(<OnboardingForm project={project({ requirements: null })} editable />);
    expect(screen.getByText(/blueprint is not generated/)).toBeTruthy();
  });
});

describe('the stepper', () => {
  test('shows every stage with status and generation, the current one marked', () => {
    const pipeline = {
      ...project(),
      stageStatus: 'blocked',
      generation: 2,
      reason: null,
      assignees: [],
      awaitingApprovalStageKey: null,
      blockedReasons: [],
      requiredActions: [],
      stages: { ...stages, '0_sales': stage('succeeded'), '1_onboarding': stage('blocked', 2) },
    } as unknown as PipelineView;
    wrap(<StageStepper pipeline={pipeline} selected="0_sales" />);
    const links = within(screen.getByRole('navigation', { name: 'Stages' })).getAllByRole('link');
    expect(links).toHaveLength(7);
    const current = links.filter((link) => link.getAttribute('aria-current') === 'step');
    expect(current.map((link) => link.getAttribute('aria-label'))).toEqual([
      '1. Onboarding: blocked, generation 2 (current stage)',
    ]);
    expect(links[0]?.getAttribute('href')).toBe('/?stage=0_sales');
  });
});

describe('defect decisions', () => {
  const defects = defectsToDecide(null, {
    defects: [
      { fingerprint: 'fp-1', suite: 's', testCase: 'pays', message: 'boom' },
      { fingerprint: 'fp-2', suite: 's', testCase: 'refunds', message: 'expected 200, got 500' },
    ],
  });

  test('a choice per defect; saving waits until at least one is decided', () => {
    wrap(<DefectDecisions projectId="p" defects={defects} />);
    const save = screen.getByRole('button', { name: 'Save decisions and resume' });
    expect(save).toHaveProperty('disabled', true);
    const refunds = screen.getByRole('group', { name: 'Decision on refunds' });
    fireEvent.click(within(refunds).getByLabelText('Reject'));
    expect(screen.getByRole('status').textContent).toContain('1 of 2 undecided');
    expect(save).toHaveProperty('disabled', false);
    fireEvent.click(screen.getByRole('button', { name: 'Confirm all' }));
    expect(screen.getByRole('status').textContent).toBe('Every defect is decided.');
    expect(within(refunds).getByLabelText('Confirm')).toHaveProperty('checked', true);
  });
});

describe('the management form', () => {
  const may = (overrides: Partial<Permissions> = {}): Permissions => ({
    manage: true,
    loosenReview: false,
    archive: true,
    restore: false,
    upload: true,
    move: true,
    decideDefects: true,
    operateJobs: false,
    ...overrides,
  });

  test('the manager hands over and may switch review on, but only an admin may switch it off', () => {
    wrap(
      <ManagementForm
        project={project({ deliveryManagerId: 'dm-1', requireManualReview: true })}
        may={may()}
      />,
    );
    expect(screen.getByLabelText('Delivery manager (user id)')).toHaveProperty('value', 'dm-1');
    expect(screen.getByLabelText('Every automated stage needs a review')).toHaveProperty('disabled', true);
    expect(screen.getByText('Only an admin can switch the review off.')).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Archive project' })).toBeTruthy();
    cleanup();
    wrap(
      <ManagementForm
        project={project({ deliveryManagerId: 'dm-1', requireManualReview: true })}
        may={may({ loosenReview: true })}
      />,
    );
    expect(screen.getByLabelText('Every automated stage needs a review')).toHaveProperty('disabled', false);
  });

  test('someone who does not manage the project sees it read-only; an archived one offers a restore', () => {
    wrap(
      <ManagementForm
        project={project({ deliveryManagerId: 'dm-1' })}
        may={may({ manage: false, archive: false })}
      />,
    );
    // Disabled through its fieldset, as the browser sees it.
    expect(screen.getByLabelText('Delivery manager (user id)').matches(':disabled')).toBe(true);
    expect(screen.queryByRole('button', { name: 'Save management' })).toBeNull();
    expect(screen.queryByRole('button', { name: 'Archive project' })).toBeNull();
    cleanup();
    wrap(
      <ManagementForm
        project={project({ status: 'archived' })}
        may={may({ manage: false, archive: false, restore: true })}
      />,
    );
    expect(screen.getByRole('button', { name: 'Restore from archive' })).toBeTruthy();
  });
});

describe('the stages ahead', () => {
  test('each later stage says whether it is ready or what it will need, and who can provide it', () => {
    wrap(
      <StagesAhead
        ahead={[
          {
            stage: '3_build',
            status: 'pending',
            needs: [
              {
                code: 'artifact_missing',
                message: 'Upload the required artifact "site.zip"',
                whoCanAct: ['assignee'],
                action: 'upload_artifact',
              },
            ],
          },
          { stage: '4_test', status: 'ready', needs: [] },
        ]}
      />,
    );
    const list = screen.getByTestId('stages-ahead');
    const build = within(list).getByText(/Build/).closest('li') as HTMLElement;
    expect(build.dataset.status).toBe('pending');
    expect(build.textContent).toContain('Upload the required artifact "site.zip"');
    expect(build.textContent).toContain('Who can act: an assignee');
    const test = within(list).getByText(/Test/).closest('li') as HTMLElement;
    expect(test.dataset.status).toBe('ready');
    expect(test.textContent).toContain('waits only for the stages before it');
  });

  test('nothing is shown once no stage lies ahead', () => {
    wrap(<StagesAhead ahead={[]} />);
    expect(screen.queryByTestId('stages-ahead')).toBeNull();
  });
});
