import path from 'node:path';
import type { LabStatus } from '../../shared/domain/lab';
import { SCENARIO_CATALOGUE, defaultScenarioNode, type ScenarioKind, type StagedScenarioInfo } from '../../shared/domain/lab-scenarios';
import { AppError } from '../../shared/errors';
import { parseTalosconfig } from '../../certs/talosconfig-import';
import type { Lab } from '../../lab';
import type { IdentityStore } from './identities/identity-store';

const stopped: LabStatus = { running: false, endpoint: null, cluster: null, nodes: [], talosconfigPath: null };

/**
 * A crash loop staged from the app starts with 10 minutes of crash history (as `npm run lab -- --scenario` does), so
 * the trainee finds a loop at once instead of waiting for the third restart. Other scenarios need no history.
 */
const CRASHLOOP_HISTORY_MS = 600_000;

type StagedScenario = ReturnType<Lab['stage']>;

/** A staged scenario as the renderer sees it: its evidence as full talosctl lines for its node. */
function describe(s: StagedScenario): StagedScenarioInfo {
  return {
    kind: s.kind,
    node: s.node,
    ...(s.service ? { service: s.service } : {}),
    summary: s.summary,
    evidence: s.evidence.map((line) => `talosctl -n ${s.node.ip} ${line}`),
    since: s.since,
  };
}

/** Starts and stops the practice cluster inside the host, keeps its identities as "practice" ones, and stages its scenarios. */
export class LabService {
  private lab: Lab | null = null;
  private starting: Promise<Lab> | null = null;

  constructor(
    private readonly identities: Pick<IdentityStore, 'setPractice'>,
    private readonly dataDir: string,
    private readonly onChange: (status: LabStatus) => void,
    private readonly onScenarios: (staged: StagedScenarioInfo[]) => void = () => undefined,
  ) {}

  /** The running lab, for fault injection in tests and the trainee's toolbox. */
  current(): Lab | null {
    return this.lab;
  }

  status(): LabStatus {
    const lab = this.lab;
    if (!lab) return stopped;
    return {
      running: true,
      endpoint: lab.endpoint,
      cluster: lab.cluster,
      nodes: lab.nodes.map((n) => ({ ip: n.id.ip, hostname: n.id.hostname, type: n.id.type, services: [...n.services.keys()] })),
      talosconfigPath: lab.talosconfigPath,
    };
  }

  async start(options: { nodes?: number; controlPlanes?: number }): Promise<LabStatus> {
    if (this.lab) return this.status();
    this.starting ??= import('../../lab').then(({ startLab }) =>
      startLab({
        nodes: options.nodes ?? 3,
        controlPlanes: options.controlPlanes ?? 1,
        talosconfigPath: path.join(this.dataDir, 'practice-talosconfig'),
      }),
    );
    try {
      this.lab = await this.starting;
    } finally {
      this.starting = null;
    }
    const parsed = parseTalosconfig(this.lab.talosconfig);
    this.identities.setPractice(parsed.contexts.flatMap((c) => (c.identity ? [c.identity] : [])));
    const status = this.status();
    this.onChange(status);
    this.onScenarios([]);
    return status;
  }

  async stop(): Promise<LabStatus> {
    const lab = this.lab;
    this.lab = null;
    if (lab) await lab.stop();
    this.identities.setPractice([]);
    this.onChange(stopped);
    this.onScenarios([]);
    return stopped;
  }

  /** Scenarios staged on the practice cluster and not healed (none while it is stopped). */
  scenarios(): StagedScenarioInfo[] {
    return this.lab?.scenarios().map(describe) ?? [];
  }

  /** Stages a scenario on the in-process practice cluster; a real cluster is never touched. */
  stage(request: { kind: ScenarioKind; node?: string; service?: string }): StagedScenarioInfo {
    const lab = this.running(`stage "${request.kind}"`);
    const { title } = SCENARIO_CATALOGUE[request.kind];
    const nodes = lab.nodes.map((n) => ({ ...n.id }));
    const node = request.node
      ? nodes.find((n) => n.ip === request.node || n.hostname === request.node)
      : defaultScenarioNode(request.kind, nodes);
    if (!node && request.node)
      throw new AppError(
        'NOT_FOUND',
        `The practice cluster has no node "${request.node}". Its nodes: ${nodes.map((n) => `${n.hostname} (${n.ip})`).join(', ')}.`,
      );
    const service = request.kind === 'crashloop' ? (request.service ?? 'kubelet') : undefined;
    const twin = lab.scenarios().find((s) => s.kind === request.kind && s.node.ip === node?.ip && s.service === service);
    if (twin)
      throw new AppError(
        'ALREADY_EXISTS',
        `${title}${service ? ` (${service})` : ''} is already staged on ${twin.node.hostname}. Pick another node, or Heal all first.`,
      );
    let staged: StagedScenario;
    try {
      staged = lab.stage({
        kind: request.kind,
        ...(node ? { node: node.ip } : {}),
        ...(service ? { service, backfillMs: CRASHLOOP_HISTORY_MS } : {}),
      });
    } catch (error) {
      // The lab's refusals are written for people: a control plane is needed, no such service, no second node of the role.
      throw new AppError('INVALID_ARGUMENT', `${title} cannot be staged: ${error instanceof Error ? error.message : String(error)}.`);
    }
    this.onScenarios(this.scenarios());
    return describe(staged);
  }

  /** Heals every staged scenario; returns how many there were. */
  clearScenarios(): { healed: number } {
    const lab = this.running('heal the scenarios');
    const healed = lab.scenarios().length;
    lab.clearScenarios();
    this.onScenarios([]);
    return { healed };
  }

  /** Heals one staged scenario; NOT_FOUND when nothing like it is staged. */
  heal(request: { kind: ScenarioKind; node: string; service?: string }): { healed: number } {
    const lab = this.running('heal a scenario');
    const healed = lab.clearScenarios(
      (s) =>
        s.kind === request.kind &&
        (s.node.ip === request.node || s.node.hostname === request.node) &&
        (request.kind !== 'crashloop' || s.service === (request.service ?? 'kubelet')),
    );
    if (!healed)
      throw new AppError(
        'NOT_FOUND',
        `No "${SCENARIO_CATALOGUE[request.kind].title}" scenario is staged on ${request.node}; it may have been healed already.`,
      );
    this.onScenarios(this.scenarios());
    return { healed };
  }

  private running(action: string): Lab {
    if (!this.lab)
      throw new AppError(
        'LAB_NOT_RUNNING',
        `Start the practice cluster first (Open practice cluster on the welcome screen or in the command palette), then ${action}. Scenarios are only staged on the practice cluster, never on a real one.`,
      );
    return this.lab;
  }
}
