import type { Emit } from '../../../shared/handlers';
import type { AuditLog } from '../audit/audit-log';
import type { FileDownloads } from '../file-downloads';
import type { Handovers } from '../handovers';
import type { Identities } from '../identities';
import type { IdentityMinting } from '../identities/identity-minting';
import type { ShiftState } from '../shift/shift-state';
import type { LabService } from '../lab-service';
import type { OperationService } from '../operations/operation-service';
import type { StreamHub } from '../streams/stream-hub';
import type { TalosSessions } from '../talos-sessions';

/** What the handler modules share; services/index.ts builds it once. */
export interface HandlerDeps {
  host: 'desktop' | 'browser';
  /** Events to the renderer (download and bundle progress). */
  emit: Emit;
  version: string;
  identities: Identities;
  sessions: TalosSessions;
  lab: LabService;
  audit: AuditLog;
  streams: StreamHub;
  downloads: FileDownloads;
  /** Plans and rolling operations across nodes; they outlive any screen. */
  operations: OperationService;
  /** The desktop host's native file dialog; browser mode has none (it uses the page's file picker). */
  pickFile?: () => Promise<string | null>;
  /** The desktop host's save dialog; browser mode has none (the page downloads instead). */
  saveFile?: (suggestedName: string) => Promise<string | null>;
  /** Browser mode: files handed to the browser's download manager by a one-time URL. */
  handovers: Handovers;
  minting: IdentityMinting;
  shift: ShiftState;
}
