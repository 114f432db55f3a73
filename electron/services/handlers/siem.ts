import type { HandlersFor } from '../../../shared/handlers';
import type { SiemForwarder } from '../siem/forwarder';

export function siemHandlers(forwarder: SiemForwarder): HandlersFor<'siem'> {
  return {
    'siem.status': async () => {
      await forwarder.start();
      return forwarder.status();
    },
    'siem.configure': (config) => forwarder.configure(config),
  };
}
