import { stringify } from 'yaml';
import {
  MachineStatusEvent,
  MachineStatusEvent_MachineStage as Stage,
  PhaseEvent,
  PhaseEvent_Action,
  SequenceEvent,
  SequenceEvent_Action,
  ServiceStateEvent,
  ServiceStateEvent_Action as ServiceAction,
  TaskEvent,
  TaskEvent_Action,
} from '../../proto/gen/machine/machine';
import { Rng } from '../rng';
import { toTimestamp } from '../../proto/timestamps';
import { EventLog } from './event-log';
import { FileTree } from './files';
import { LogBuffer } from './log-buffer';
import { criLine, kernelRecord, kubeletBootLines, makeLineMakers, type LineMaker } from './log-formats';
import { buildMachineConfig } from './machine-config';
import { ResourceStore } from './resource-store';
import { SERVICES, runningMessage, type ServiceDef, EXTRA_LOG_IDS } from './service-catalog';
import { populateResources, updateServiceResource } from './node-resources';
import { refreshMachineStatus } from './health-resources';
import type { EtcdCluster } from './etcd-cluster';
import { healthyNode, type NodeHealth } from './node-health';
import { populateFiles } from './node-files';
import { startService, timings } from './service-runner';

/** Phases (each with its one task) of Talos' `initialize` and `boot` sequences, up to starting the services. */
const INITIALIZE_PHASES: [string, string][] = [
  ['systemRequirements', 'setupSystemDirectory'],
  ['earlyServices', 'startUdevd'],
  ['usb', 'waitForUSB'],
  ['meta', 'reloadMeta'],
  ['config', 'loadConfig'],
];
const BOOT_PHASES: [string, string][] = [
  ['memorySizeCheck', 'memorySizeCheck'],
  ['diskSizeCheck', 'diskSizeCheck'],
  ['env', 'setUserEnvVars'],
  ['dbus', 'startDBus'],
  ['ephemeral', 'mountEphemeralPartition'],
  ['promotableVolumes', 'mountPromotableVolumes'],
  ['userDisks', 'mountUserDisks'],
  ['userSetup', 'writeUserFiles'],
];

export type MachineType = 'controlplane' | 'worker';

export interface NodeIdentity {
  ip: string;
  hostname: string;
  type: MachineType;
  cluster: string;
  index: number;
  endpointIp: string;
}

export interface ServiceEventRecord {
  msg: string;
  state: string;
  ts: number;
}

export interface ServiceState {
  def: ServiceDef;
  state: string;
  healthy: boolean;
  unknown: boolean;
  lastMessage: string;
  lastChange: number;
  events: ServiceEventRecord[];
  pid: number;
}

export interface LogSource {
  buffer: LogBuffer;
  make: LineMaker;
  /** lines per second while the node runs */
  rate: number;
  generatedUntil: number;
}

export interface Faults {
  unreachable: boolean;
  delayMs: number;
  /** This node's etcd member is cut off from the leader (EtcdStatus leader 0, etcd unhealthy). */
  etcdNoLeader: boolean;
  /** Method names (like `Hostname`) this node answers with Unimplemented, as an older Talos would. */
  missingMethods: Set<string>;
}

const STATE_ACTION: Record<string, ServiceAction> = {
  Initialized: ServiceAction.INITIALIZED,
  Preparing: ServiceAction.PREPARING,
  Waiting: ServiceAction.WAITING,
  Running: ServiceAction.RUNNING,
  Stopping: ServiceAction.STOPPING,
  Finished: ServiceAction.FINISHED,
  Failed: ServiceAction.FAILED,
  Skipped: ServiceAction.SKIPPED,
  Starting: ServiceAction.STARTING,
};

/** One simulated Talos machine: services, logs, events, resources, files and stats. */
export class LabNode {
  readonly rng: Rng;
  readonly services = new Map<string, ServiceState>();
  readonly logs = new Map<string, LogSource>();
  readonly kernel = new LogBuffer(1_048_576);
  events: EventLog;
  readonly resources: ResourceStore;
  readonly files: FileTree;
  readonly faults: Faults = { unreachable: false, delayMs: 0, etcdNoLeader: false, missingMethods: new Set() };
  /** Conditions health evidence is computed from (scenarios change them). */
  readonly health: NodeHealth = healthyNode();
  /** The etcd cluster this control plane is a member of (null on workers). */
  etcd: EtcdCluster | null = null;
  /** Set while boot() or a staged scenario writes back-dated history, so nothing is published "now". */
  private replaying = false;
  /** Run after every boot (scenarios and faults that outlive a reboot re-apply themselves here). */
  readonly bootHooks = new Set<() => void>();
  /** Streams register here so a reboot or a fault can cut them. */
  readonly streamKillers = new Set<(reason: string) => void>();
  bootId = '';
  bootTime = 0;
  stage: Stage = Stage.BOOTING;
  ready = false;
  down = false;
  talosVersion = 'v1.13.9';
  /** The version an upgrade installed; it runs from the next boot. */
  pendingVersion: string | null = null;
  /** The Talos version of the other boot entry, once the node has upgraded (what Rollback boots). */
  previousVersion: string | null = null;
  /** The sequence running now (boot, reboot, shutdown, upgrade…), or null. */
  sequence: string | null = null;
  /** The reboot(2) command the last sequence ended with (RestartEvent `cmd`; lost from the event ring by the reboot). */
  lastRestartCmd: number | null = null;
  config: { active: string; persistent: string };
  applyInProgress = false;
  /** Counts applied configs: a try-mode revert happens only if no config was applied after it (Talos cancels the rollback timer). */
  configApplies = 0;
  readonly machineId: string;
  readonly etcdMemberId: string;
  readonly memoryTotalKb: number;
  readonly cpus: number;
  private timers = new Set<NodeJS.Timeout>();
  /** Timers of the running sequence, which a takeover (shutdown, rollback) cancels together. */
  private sequenceTimers = new Set<NodeJS.Timeout>();
  private schedulingSequence = false;
  /** The power button was pressed while a shutdown was still running: boot once it has powered off. */
  powerOnRequested = false;
  /** When the machine last powered off (0: never); a live boot's history starts after it. */
  poweredOffAt = 0;

  constructor(
    readonly id: NodeIdentity,
    seed: number,
    readonly now: () => number,
    logRate: number,
  ) {
    this.rng = new Rng(seed);
    this.events = new EventLog(this.rng, now);
    this.resources = new ResourceStore(now);
    this.files = new FileTree(now);
    this.machineId = this.rng.hex(32);
    this.etcdMemberId = BigInt('0x' + this.rng.hex(16)).toString();
    this.memoryTotalKb = (id.type === 'controlplane' ? 4 : 8) * 1024 * 1024 - this.rng.int(100_000, 200_000);
    this.cpus = id.type === 'controlplane' ? 2 : 4;
    const active = buildMachineConfig(id.type, id.cluster, id.hostname, id.ip, id.endpointIp);
    this.config = { active, persistent: active };
    const makers = makeLineMakers(id.hostname);
    for (const def of this.serviceDefs()) {
      this.logs.set(def.id, { buffer: new LogBuffer(), make: makers[def.id] ?? makers.machined!, rate: logRate, generatedUntil: 0 });
    }
    for (const logId of EXTRA_LOG_IDS)
      this.logs.set(logId, { buffer: new LogBuffer(), make: makers[logId]!, rate: logRate, generatedUntil: 0 });
    for (const container of this.k8sContainers()) {
      const component = container.name;
      this.logs.set(container.logId, {
        buffer: new LogBuffer(),
        make: (ts, rng) => criLine(ts, rng, component),
        rate: Math.max(1, logRate / 4),
        generatedUntil: 0,
      });
    }
  }

  serviceDefs(): ServiceDef[] {
    return SERVICES.filter((s) => !s.controlPlaneOnly || this.id.type === 'controlplane');
  }

  get reachable(): boolean {
    return !this.down && !this.faults.unreachable;
  }

  private podCache: { pod: string; name: string; logId: string; image: string; podId: string; containerId: string }[] | null = null;

  /** Kubernetes pods on this node (stable for the node's life). */
  k8sContainers(): { pod: string; name: string; logId: string; image: string; podId: string; containerId: string }[] {
    this.podCache ??= this.makePods();
    return this.podCache;
  }

  private makePods() {
    const pods: { pod: string; name: string; image: string }[] = [
      { pod: `kube-system/kube-proxy-${this.rng.hex(5)}`, name: 'kube-proxy', image: 'registry.k8s.io/kube-proxy:v1.36.3' },
      { pod: `kube-system/kube-flannel-${this.rng.hex(5)}`, name: 'kube-flannel', image: 'ghcr.io/siderolabs/flannel:v0.27.4' },
    ];
    if (this.id.type === 'controlplane') {
      for (const c of ['kube-apiserver', 'kube-controller-manager', 'kube-scheduler']) {
        pods.push({ pod: `kube-system/${c}-${this.id.hostname}`, name: c, image: `registry.k8s.io/${c}:v1.36.3` });
      }
    }
    const out = pods.map((p) => {
      const containerId = this.rng.hex(64);
      return { ...p, podId: this.rng.hex(64), containerId, logId: `${p.pod}:${p.name}:${containerId.slice(0, 12)}` };
    });
    // The two CoreDNS replicas land on the first two nodes; they are the pods with a network namespace of
    // their own (the others use the host network). A separate generator keeps the other ids unchanged.
    if (this.id.index < 2) {
      const rng = new Rng(parseInt(this.machineId.slice(0, 8), 16) ^ 0x5bd1e995);
      const containerId = rng.hex(64);
      const pod = `kube-system/coredns-${rng.hex(10)}-${rng.hex(5)}`;
      out.push({
        pod,
        name: 'coredns',
        image: 'registry.k8s.io/coredns/coredns:v1.14.6',
        podId: rng.hex(64),
        containerId,
        logId: `${pod}:coredns:${containerId.slice(0, 12)}`,
      });
    }
    return out;
  }

  /**
   * Boots the node with the sequences Talos runs (no actor id): `initialize`, `install` (empty when installed), then
   * `boot`, whose last phase starts every service. Without `live` the whole boot is history that ended `uptimeMs`
   * ago. A `live` boot (after a reboot) writes what happened while the API was dark, then starts the services in
   * real time: the node answers once apid runs, and `boot` ends (stage running) when every service has started.
   */
  boot(uptimeMs: number, live = false): void {
    const now = this.now();
    // A live boot's history (firmware to apid) fits between the power-off and now, at most 2.5 s of it.
    const window = live ? Math.max(100, Math.min(2500, now - this.poweredOffAt - 50)) : 2500;
    const start = live ? now - window : now - uptimeMs;
    const scale = window / 2500;
    this.replaying = true;
    if (live && this.pendingVersion) {
      // The entry booted before stays in the bootloader: Rollback returns to it.
      this.previousVersion = this.talosVersion;
      this.talosVersion = this.pendingVersion;
    }
    this.pendingVersion = null;
    this.bootId = this.rng.uuid();
    this.bootTime = start;
    this.stage = Stage.BOOTING;
    this.ready = false;
    this.sequence = 'boot';
    this.events = new EventLog(this.rng, this.now);
    let t = start;
    const next = (ms = 40) => (t += ms * scale);
    const seq = (sequence: string, action: SequenceEvent_Action) =>
      this.publish('SequenceEvent', SequenceEvent.encode({ sequence, action, error: undefined }).finish(), '', next(10));
    const phase = (name: string, action: PhaseEvent_Action) =>
      this.publish('PhaseEvent', PhaseEvent.encode({ phase: name, action }).finish(), '', next(20));
    const task = (name: string, action: TaskEvent_Action) =>
      this.publish('TaskEvent', TaskEvent.encode({ task: name, action }).finish(), '', next(action === TaskEvent_Action.START ? 5 : 40));
    const runPhases = (phases: [string, string][]) => {
      for (const [name, taskName] of phases) {
        phase(name, PhaseEvent_Action.START);
        task(taskName, TaskEvent_Action.START);
        task(taskName, TaskEvent_Action.STOP);
        phase(name, PhaseEvent_Action.STOP);
      }
    };
    seq('initialize', SequenceEvent_Action.START);
    this.publish(
      'MachineStatusEvent',
      MachineStatusEvent.encode({
        stage: Stage.BOOTING,
        status: {
          ready: false,
          unmetConditions: [{ name: 'services', reason: 'apid not running, machined not running, kubelet not running' }],
        },
      }).finish(),
      '',
      next(5),
    );
    runPhases(INITIALIZE_PHASES);
    seq('initialize', SequenceEvent_Action.STOP);
    seq('install', SequenceEvent_Action.START);
    seq('install', SequenceEvent_Action.STOP);
    seq('boot', SequenceEvent_Action.START);
    runPhases(BOOT_PHASES);
    phase('startEverything', PhaseEvent_Action.START);
    task('startAllServices', TaskEvent_Action.START);
    this.seedKernelLog(start);
    for (const source of this.logs.values()) source.generatedUntil = Math.max(start, now - 120_000);
    // A kubelet that just started logs its start-up (retries included); one up for long has scrolled past it.
    if (uptimeMs < 600_000) this.logs.get('kubelet')?.buffer.append(kubeletBootLines(live ? now : start + 2500));
    this.services.clear();
    for (const def of this.serviceDefs()) {
      this.services.set(def.id, {
        def,
        state: 'Initialized',
        healthy: false,
        unknown: true,
        lastMessage: '',
        lastChange: t,
        events: [],
        pid: this.rng.int(900, 4000),
      });
    }
    populateResources(this);
    populateFiles(this);
    const finish = (at: number) => {
      task('startAllServices', TaskEvent_Action.STOP);
      phase('startEverything', PhaseEvent_Action.STOP);
      seq('boot', SequenceEvent_Action.STOP);
      this.stage = Stage.RUNNING;
      this.ready = true;
      this.sequence = null;
      const status = refreshMachineStatus(this, false);
      this.publish('MachineStatusEvent', MachineStatusEvent.encode({ stage: Stage.RUNNING, status: status.status }).finish(), '', at);
    };
    if (live) {
      this.events.sortByTime();
      this.replaying = false;
      refreshMachineStatus(this);
      this.down = true;
      this.scheduleSequence(() => {
        let last = 0;
        for (const def of this.serviceDefs())
          last = Math.max(last, startService(this, def.id, '', timings.stepMs, def.id === 'apid' ? () => (this.down = false) : undefined));
        this.after(last + timings.stepMs, () => {
          t = this.now() - 100;
          finish(this.now());
          for (const hook of this.bootHooks) hook();
        });
      });
      return;
    }
    const servicesAt = t;
    for (const def of this.serviceDefs()) {
      let at = servicesAt + this.rng.int(100, 2000);
      this.setServiceState(def.id, 'Starting', 'Starting service', '', at);
      if (def.waitingFor) this.setServiceState(def.id, 'Waiting', `Waiting for ${def.waitingFor}`, '', (at += 900));
      this.setServiceState(def.id, 'Preparing', 'Running pre state', '', (at += 50));
      this.setServiceState(def.id, 'Preparing', 'Creating service runner', '', (at += 20));
      const pid = this.services.get(def.id)!.pid;
      this.setServiceState(def.id, 'Running', runningMessage(def, pid), '', (at += 600));
      if (def.healthCheck) {
        const failure = this.health.failingHealthChecks.get(def.id);
        this.setServiceState(def.id, 'Running', failure ? `Health check failed: ${failure}` : 'Health check successful', '', (at += 1500), {
          healthy: !failure,
        });
      }
    }
    t = servicesAt + 6000;
    finish(t);
    this.events.sortByTime();
    this.replaying = false;
    for (const hook of this.bootHooks) hook();
  }

  publish(type: string, value: Uint8Array, actorId = '', ts = this.now()): void {
    if (this.replaying && ts < this.now()) this.events.backfill(type, value, actorId, ts);
    else this.events.publish(type, value, actorId, ts);
  }

  /**
   * Writes history that happened before now (service state changes with past times): events go into the ring in
   * time order without reaching live followers, ServiceList keeps its 64 newest entries in order, and MachineStatus
   * is brought up to date afterwards.
   */
  replayHistory(write: () => void): void {
    this.replaying = true;
    try {
      write();
    } finally {
      this.replaying = false;
    }
    for (const service of this.services.values()) {
      service.events.sort((a, b) => a.ts - b.ts);
      if (service.events.length > 64) service.events.splice(0, service.events.length - 64);
    }
    refreshMachineStatus(this);
  }

  /** Moves a service to a state with a message, as Talos' service runner records it. */
  setServiceState(id: string, state: string, msg: string, actorId = '', ts = this.now(), health?: { healthy: boolean }): void {
    const service = this.services.get(id);
    if (!service) return;
    service.state = state;
    service.events.push({ msg, state, ts });
    if (service.events.length > 64) service.events.shift();
    if (health && service.def.healthCheck) {
      service.healthy = health.healthy;
      service.unknown = false;
      service.lastMessage = msg;
      service.lastChange = ts;
    } else if (state !== 'Running') {
      service.healthy = false;
      service.unknown = true;
    }
    const healthMsg = {
      unknown: service.unknown,
      healthy: service.healthy,
      lastMessage: service.lastMessage,
      lastChange: toTimestamp(service.lastChange),
    };
    this.publish(
      'ServiceStateEvent',
      ServiceStateEvent.encode({
        service: id,
        action: STATE_ACTION[state] ?? ServiceAction.INITIALIZED,
        message: msg,
        health: healthMsg,
      }).finish(),
      actorId,
      ts,
    );
    this.logs.get('machined')?.buffer.append([`[talos] service[${id}](${state}): ${msg}`]);
    updateServiceResource(this, service);
    if (!this.replaying) refreshMachineStatus(this);
  }

  /** Generates log lines up to now for one source, at its rate. */
  catchUp(source: LogSource, now = this.now()): void {
    if (!this.reachable || source.rate <= 0) {
      source.generatedUntil = now;
      return;
    }
    const interval = 1000 / source.rate;
    let count = Math.floor((now - source.generatedUntil) / interval);
    if (count <= 0) return;
    const maxLines = 20_000;
    let ts = source.generatedUntil;
    if (count > maxLines) {
      ts = now - maxLines * interval;
      count = maxLines;
    }
    const lines = new Array<string>(count);
    for (let i = 0; i < count; i++) {
      ts += interval;
      lines[i] = source.make(ts, this.rng);
    }
    source.generatedUntil = ts;
    source.buffer.append(lines);
  }

  after(ms: number, fn: () => void): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      this.sequenceTimers.delete(timer);
      fn();
    }, ms);
    this.timers.add(timer);
    if (this.schedulingSequence) this.sequenceTimers.add(timer);
  }

  /** Runs `schedule`, marking every timer it sets as part of the running sequence. */
  scheduleSequence(schedule: () => void): void {
    this.schedulingSequence = true;
    try {
      schedule();
    } finally {
      this.schedulingSequence = false;
    }
  }

  /** Cancels the running sequence's remaining work (Talos' takeover); returns the sequence it cancelled. */
  cancelSequence(): string | null {
    for (const timer of this.sequenceTimers) {
      clearTimeout(timer);
      this.timers.delete(timer);
    }
    this.sequenceTimers.clear();
    const cancelled = this.sequence;
    this.sequence = null;
    return cancelled;
  }

  cutStreams(reason: string): void {
    for (const kill of [...this.streamKillers]) kill(reason);
  }

  stop(): void {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    this.cutStreams('lab stopped');
  }

  seedKernelLog(start: number): void {
    const records: [string, string, string][] = [
      ['kern', 'info', 'Linux version 6.18.44-talos (@buildkitsandbox) (gcc (GCC) 15.2.0, GNU ld (GNU Binutils) 2.45) #1 SMP'],
      [
        'kern',
        'info',
        'Command line: talos.platform=metal console=ttyS0 reboot=k panic=1 talos.shutdown=halt init_on_alloc=1 slab_nomerge pti=on',
      ],
      ['kern', 'info', `Memory: ${Math.round(this.memoryTotalKb / 1024)}M/${Math.round(this.memoryTotalKb / 1024) + 256}M available`],
      ['kern', 'notice', 'random: crng init done'],
      ['kern', 'info', 'virtio_net virtio1 eth0: renamed from eth0'],
      ['kern', 'warning', 'ACPI: PCI: Interrupt link GSIA not found, ignoring'],
      ['kern', 'err', 'EXT4-fs (vda6): mounting with "discard" option, but the device does not support discard'],
      ['user', 'warning', '[talos] task startAllServices (1/1): waiting for 9 services'],
      ['daemon', 'info', 'udevd[412]: starting version 3.2.14'],
      ['kern', 'info', 'IPv6: ADDRCONF(NETDEV_CHANGE): eth0: link becomes ready'],
      ['auth', 'notice', 'audit: type=1403 audit(0.9:2): auid=4294967295 ses=4294967295 lsm=selinux res=1'],
    ];
    const lines = records.map(([facility, priority, message], i) =>
      kernelRecord(start + i * 37, this.rng, facility, priority, message).trimEnd(),
    );
    this.kernel.append(lines);
  }

  addKernelRecord(facility: string, priority: string, message: string): void {
    this.kernel.append([kernelRecord(this.now(), this.rng, facility, priority, message).trimEnd()]);
  }

  resourceYaml(spec: unknown): string {
    return stringify(spec, { indent: 4, lineWidth: 0 });
  }
}
