import type { HandlersFor } from '../../../shared/handlers';
import type { EvidenceService } from '../evidence/evidence-service';
import type { HandlerDeps } from './deps';

export function evidenceHandlers({ host, saveFile }: HandlerDeps, evidence: EvidenceService): HandlersFor<'evidence'> {
  return {
    'evidence.status': () => evidence.status(),
    'evidence.generate': (request) => evidence.generate(request),
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
