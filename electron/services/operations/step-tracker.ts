import { MachineServiceService as M, type Event } from '../../../proto/gen/machine/machine';
import type { TalosEvent } from '../../../shared/domain/talos';
import type { TalosClient } from '../../talos/client';
import { decodeEvent } from '../../talos/decode-event';

/**
 * Follows one node's machine events while a step runs, like talosctl's tracker: the stream is opened before the
 * call is sent, events are matched to the step's actor id (those that carry one), and the sequence, phase and
 * task Talos reports become the step's detail. The stream dropping means the node went down; once it answers
 * with a new boot, `followBoot` reads that boot's own sequence.
 */
const MAX_REPORTS = 200;

export class StepTracker {
  detail = '';
  /** What Talos reported during the step, oldest first (capped): the trail the progress view lists. */
  readonly reports: string[] = [];
  sawDown = false;
  sawStopAllServices = false;
  /** The new boot's `boot` sequence has finished (followed after the reboot). */
  bootFinished = false;
  /** The node refused to start the step's sequence because another one holds its lock (Talos' NOOP LOCKED). */
  refusal: string | null = null;
  /** The events stream could not be opened: checks that rely on it fall back to what the node answers. */
  unavailable = false;
  /** undefined until the call has answered; null when the call returns no actor id (then every event counts). */
  private actorId: string | null | undefined = undefined;
  private held: TalosEvent[] = [];
  private sequence = '';
  private phase = '';
  private following = false;
  private readonly serviceStates = new Map<string, string[]>();
  private readonly abort = new AbortController();

  constructor(
    private readonly client: TalosClient,
    private readonly node: string,
    private readonly onDetail: (detail: string) => void,
  ) {}

  /** Opens the stream; resolves once the node has sent its hello (so no event of the step is missed) or after `waitMs`. */
  start(waitMs = 3_000): Promise<void> {
    return this.open(0, waitMs, true);
  }

  /**
   * After the node answers again with a new boot, follows that boot as talosctl's tracker does: its history so far
   * (`initialize`, `install`, `boot`, service starts; no actor id) and what comes next, until the step ends.
   */
  followBoot(): void {
    if (this.following || this.abort.signal.aborted) return;
    this.following = true;
    this.sequence = '';
    this.phase = '';
    void this.open(-1, 0, false);
  }

  private open(tailEvents: number, waitMs: number, first: boolean): Promise<void> {
    return new Promise<void>((ready) => {
      let hello = false;
      const timer = setTimeout(ready, waitMs);
      const opened = () => {
        clearTimeout(timer);
        ready();
      };
      this.client.connection
        .stream(
          M.events,
          { tailEvents, tailId: '', tailSeconds: 0, withActorId: '' },
          this.node,
          (event: Event) => {
            if (!event.data?.typeUrl) {
              hello = true;
              return opened();
            }
            const decoded = decodeEvent(event);
            if (decoded) this.receive(decoded);
          },
          this.abort.signal,
        )
        .catch(() => undefined)
        .finally(() => {
          opened();
          if (this.abort.signal.aborted) return;
          if (!first) {
            // The new boot's stream dropped: follow it again on the next answer.
            this.following = false;
            return;
          }
          if (!hello) {
            this.unavailable = true;
            return;
          }
          this.sawDown = true;
          this.note('the node closed its event stream (going down)');
        });
    });
  }

  setActor(actorId: string | null): void {
    this.actorId = actorId || null;
    const held = this.held;
    this.held = [];
    for (const e of held) this.receive(e);
  }

  stop(): void {
    this.abort.abort();
  }

  /**
   * After the gates passed: lets the followed boot's history arrive (up to `waitMs`) so the step's trail holds the
   * whole boot sequence even when the node booted faster than its history could be read.
   */
  async settle(waitMs = 2_000): Promise<void> {
    for (let waited = 0; this.following && !this.bootFinished && waited < waitMs; waited += 50) await new Promise((r) => setTimeout(r, 50));
  }

  /** The service went through a stop or start since the step began (or was not running, so a start is the restart). */
  restarted(service: string, stateBefore: string): boolean {
    if (stateBefore !== 'Running' || this.unavailable) return true;
    return (this.serviceStates.get(service) ?? []).some((s) => s !== 'Running');
  }

  /** A progress line of the step's own call (an upgrade's pull and installer messages), kept with the events. */
  report(detail: string): void {
    this.note(detail);
  }

  private note(detail: string): void {
    this.detail = detail;
    this.reports.push(detail);
    if (this.reports.length > MAX_REPORTS) this.reports.splice(0, this.reports.length - MAX_REPORTS);
    this.onDetail(detail);
  }

  /** `reboot › stopEverything › stopAllServices`: where in Talos' sequence the node is. */
  private where(...parts: string[]): string {
    return [this.sequence, ...parts].filter(Boolean).join(' › ');
  }

  private receive(e: TalosEvent): void {
    if (e.actorId && this.actorId === undefined) {
      this.held.push(e);
      return;
    }
    if (e.actorId && this.actorId && e.actorId !== this.actorId) return;
    const d = e.data as Record<string, string>;
    switch (e.type) {
      case 'SequenceEvent':
        if (d.action === 'start') {
          this.sequence = d.sequence ?? '';
          this.phase = '';
          this.note(`sequence ${d.sequence} started`);
        } else if (d.action === 'stop') {
          if (this.following && d.sequence === 'boot') this.bootFinished = true;
          this.note(`sequence ${d.sequence} finished`);
        } else if (d.error) {
          if (/\blocked\b/.test(d.error) && !this.sequence)
            this.refusal = `the node refused to start the ${d.sequence} sequence (${d.error}): it is still running another sequence, such as its boot; try again once it is ready`;
          this.note(`sequence ${d.sequence} ended: ${d.error}`);
        }
        break;
      case 'PhaseEvent':
        if (d.action === 'start') {
          this.phase = d.phase ?? '';
          this.note(this.where(this.phase));
        }
        break;
      case 'TaskEvent':
        if (d.action === 'start') this.note(this.where(this.phase, d.task ?? ''));
        if (d.action === 'stop' && d.task === 'stopAllServices') this.sawStopAllServices = true;
        break;
      case 'ServiceStateEvent': {
        const service = d.service ?? '';
        this.serviceStates.set(service, [...(this.serviceStates.get(service) ?? []), d.state ?? '']);
        this.note(`${service}: ${d.state}${d.message ? ` (${d.message})` : ''}`);
        break;
      }
      case 'RestartEvent':
        this.note(this.where(e.summary));
        break;
      case 'MachineStatusEvent':
        this.note(e.summary);
        break;
    }
  }
}
