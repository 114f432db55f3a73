import { createHash } from 'node:crypto';
import type { HandlersFor } from '../../../shared/handlers';
import type { EvidenceService } from '../evidence/evidence-service';
import type { HandlerDeps } from './deps';
import { allOk } from './outcomes';

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

export function evidenceHandlers({ host, saveFile }: HandlerDeps, evidence: EvidenceService): HandlersFor<'evidence'> {
  return {
    'evidence.status': () => evidence.status(),
    /** Audited like any action: the intent (who, which nodes, the period) first, then the pack's name and SHA-256s. */
    'evidence.generate': {
      intent: async ({ identityId, nodes, from }) => ({
        identityId,
        nodes,
        method: 'nodeglass/EvidencePack',
        args: { from, to: 'now' },
        talosctl: '',
      }),
      run: async (request) => {
        const pack = await evidence.generate(request);
        const zip = await evidence.zipOf(pack.folder);
        const manifest = await evidence.fileOf(pack.folder, 'manifest.json');
        return {
          ...pack,
          auditNote: `evidence pack ${zip.filename} sha256:${sha256(zip.bytes)} (manifest.json sha256:${sha256(manifest)})`,
        };
      },
      outcomes: allOk,
    },
    'evidence.verify': ({ folder }) => evidence.verify(folder),
    'evidence.save': async ({ folder }) => {
      const { filename, bytes } = await evidence.zipOf(folder);
      if (host === 'desktop' && saveFile) {
        const target = await saveFile(filename);
        if (target) await evidence.saveZip(folder, target);
        return { filename, savedTo: target, base64: null };
      }
      return { filename, savedTo: null, base64: bytes.toString('base64') };
    },
    'evidence.compare': ({ before, after }) => evidence.compare(before, after),
  };
}
