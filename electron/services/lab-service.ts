import path from 'node:path';
import type { LabStatus } from '../../shared/domain/lab';
import { parseTalosconfig } from '../../certs/talosconfig-import';
import type { Lab } from '../../lab';
import type { IdentityStore } from './identities/identity-store';

const stopped: LabStatus = { running: false, endpoint: null, cluster: null, nodes: [], talosconfigPath: null };

/** Starts and stops the practice cluster inside the host, and keeps its identities as "practice" ones. */
export class LabService {
  private lab: Lab | null = null;
  private starting: Promise<Lab> | null = null;

  constructor(
    private readonly identities: Pick<IdentityStore, 'setPractice'>,
    private readonly dataDir: string,
    private readonly onChange: (status: LabStatus) => void,
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
      nodes: lab.nodes.map((n) => ({ ip: n.id.ip, hostname: n.id.hostname, type: n.id.type })),
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
    return status;
  }

  async stop(): Promise<LabStatus> {
    const lab = this.lab;
    this.lab = null;
    if (lab) await lab.stop();
    this.identities.setPractice([]);
    this.onChange(stopped);
    return stopped;
  }
}
