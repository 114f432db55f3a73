import path from 'node:path';
import type { Emit, Handlers, LogFrameSink, MutationGate } from '../../shared/handlers';
import { AuditLog } from './audit/audit-log';
import { createAuditRecorder } from './audit/recorder';
import { FileDownloads } from './file-downloads';
import { appHandlers } from './handlers/app';
import { auditHandlers } from './handlers/audit';
import { configHandlers } from './handlers/configs';
import type { HandlerDeps } from './handlers/deps';
import { Handovers } from './handovers';
import { EvidenceService } from './evidence/evidence-service';
import type { PdfPrinter } from './evidence/pdf-printer';
import { evidenceHandlers } from './handlers/evidence';
import { siemHandlers } from './handlers/siem';
import { SiemForwarder } from './siem/forwarder';
import { fileHandlers } from './handlers/files';
import { healthHandlers } from './handlers/health';
import { timelineHandlers } from './handlers/timeline';
import { identityHandlers } from './handlers/identities';
import { labHandlers } from './handlers/lab';
import { logHandlers } from './handlers/logs';
import { nodeHandlers } from './handlers/nodes';
import { operationHandlers } from './handlers/operations';
import { resourceHandlers } from './handlers/resources';
import { streamHandlers } from './handlers/stream';
import { talosHandlers } from './handlers/talos';
import { vaultHandlers } from './handlers/vault';
import { shiftHandlers } from './handlers/shift';
import { dayTwoReadHandlers, downloadHandlers } from './handlers/day-two';
import { createIdentities, type Identities } from './identities';
import { IdentityMinting } from './identities/identity-minting';
import { createAccessPolicy, type AccessPolicy } from './access-policy';
import { ShiftState } from './shift/shift-state';
import type { KeyringOptions } from './identities/vault-access';
import { LabService } from './lab-service';
import { createAuditGate } from './mutations';
import type { Clock } from './operations/clock';
import { OperationService } from './operations/operation-service';
import { StreamHub } from './streams/stream-hub';
import { TalosSessions } from './talos-sessions';

export interface ServiceDeps {
  host: 'desktop' | 'browser';
  version: string;
  dataDir: string;
  emit: Emit;
  /**
   * How log frames reach the renderer's log worker (a MessagePort on desktop, the WebSocket in browser mode);
   * without it, log streams cannot open.
   */
  logFrames?: LogFrameSink;
  keyring?: KeyringOptions;
  /** Tests run rolls with a faster gate poll. */
  operations?: { clock?: Clock; pollMs?: number };
  /** The desktop host's native file dialog; browser mode has none (it uses the page's file picker). */
  pickFile?: () => Promise<string | null>;
  /** The desktop host's save dialog; browser mode has none (the page saves downloads itself). */
  saveFile?: (suggestedName: string) => Promise<string | null>;
  /** Prints evidence reports to PDF: Electron on desktop, a headless Chromium in browser mode. */
  pdfPrinter?: PdfPrinter;
  /** Tests confirm forwarded entries and retry faster. */
  siem?: { confirmAfterMs?: number; retryMs?: { min: number; max: number } };
  env?: NodeJS.ProcessEnv;
  home?: string;
}

export interface Services {
  /** Files waiting for the browser's download manager (browser mode serves them at /handover/<id>). */
  handovers: Handovers;
  siem: SiemForwarder;
  handlers: Handlers;
  /** The dispatcher's guard: read-only identities and shift locks, refused by the host. */
  guard: AccessPolicy;
  /** Every mutating channel goes through it (the dispatcher enforces this): intent before, outcome after. */
  gate: MutationGate;
  audit: AuditLog;
  identities: Identities;
  lab: LabService;
  operations: OperationService;
  dispose(): Promise<void>;
}

/** The operations the UI calls, identical under both hosts: builds the shared parts and wires one handler module per channel prefix. */
export function createServices(deps: ServiceDeps): Services {
  const shift = new ShiftState(path.join(deps.dataDir, 'shift.json'));
  const identities = createIdentities({
    vaultPath: path.join(deps.dataDir, 'identities.json'),
    locks: shift,
    ...deps.keyring,
    env: deps.env,
    home: deps.home,
  });
  const sessions = new TalosSessions(identities.store);
  const lab = new LabService(
    identities.store,
    deps.dataDir,
    (status) => {
      sessions.forget();
      deps.emit('lab.changed', status);
    },
    (staged) => deps.emit('lab.scenariosChanged', staged),
  );
  const audit: AuditLog = new AuditLog(path.join(deps.dataDir, 'audit', 'audit.jsonl'), () => identities.vault.deriveSecret('audit-seal'), {
    onVerified: (verification) => deps.emit('audit.changed', verification),
    onAppended: (entry) => siem.enqueue(entry),
  });
  const siem = new SiemForwarder({
    dir: path.join(deps.dataDir, 'audit'),
    entries: () => audit.entries(),
    secret: () => identities.vault.deriveSecret('siem-client-key'),
    onChange: (status) => deps.emit('siem.changed', status),
    ...deps.siem,
  });
  void siem.start();
  const record = createAuditRecorder(audit, identities.store);
  const operations = new OperationService({
    sessions,
    identities: identities.store,
    onChange: (operation) => deps.emit('operations.changed', operation),
    ...deps.operations,
  });
  const handovers = new Handovers();
  const shared: HandlerDeps = {
    host: deps.host,
    emit: deps.emit,
    version: deps.version,
    identities,
    sessions,
    lab,
    audit,
    streams: new StreamHub(sessions, deps.emit, { logFrames: deps.logFrames }),
    downloads: new FileDownloads(sessions, identities.store, deps.emit, deps.saveFile),
    operations,
    pickFile: deps.pickFile,
    saveFile: deps.saveFile,
    handovers,
    minting: new IdentityMinting(identities.store, sessions),
    shift,
  };
  const evidence = new EvidenceService({
    dir: path.join(deps.dataDir, 'evidence'),
    version: deps.version,
    identities,
    sessions,
    audit,
    printer: deps.pdfPrinter,
    onProgress: (progress) => deps.emit('evidence.progress', progress),
  });

  const handlers: Handlers = {
    ...appHandlers(shared),
    ...vaultHandlers(shared),
    ...identityHandlers(shared),
    ...labHandlers(shared),
    ...nodeHandlers(shared),
    ...auditHandlers(shared),
    ...talosHandlers(shared),
    ...configHandlers(shared),
    ...resourceHandlers(shared),
    ...fileHandlers(shared),
    ...logHandlers(shared),
    ...streamHandlers(shared),
    ...operationHandlers(shared),
    ...shiftHandlers(shared),
    ...evidenceHandlers(shared, evidence),
    ...healthHandlers(shared),
    ...timelineHandlers(shared),
    ...dayTwoReadHandlers(shared),
    ...downloadHandlers(shared),
    ...siemHandlers(siem),
  };

  return {
    handlers,
    guard: createAccessPolicy(identities.store, shift, (channel, request) =>
      channel === 'operations.start' ? operations.identityOfPlan((request as { planId: string }).planId) : null,
    ),
    gate: createAuditGate(identities.store, record),
    handovers,
    audit,
    identities,
    lab,
    operations,
    siem,
    async dispose() {
      siem.stop();
      shared.downloads.cancelAll();
      await operations.dispose();
      shared.streams.closeAll();
      sessions.forget();
      await lab.stop();
    },
  };
}
