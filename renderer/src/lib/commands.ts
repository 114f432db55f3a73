import { useEvidence } from '../evidence/evidence-store';
import { usePractice } from '../practice/practice-store';
import { useSession } from '../stores/session-store';
import { useShift } from '../stores/shift-store';
import { useUi } from '../stores/ui-store';
import { VIEWS } from '../views/registry';

export interface Command {
  id: string;
  title: string;
  hint?: string;
  run(): void | Promise<void>;
}

/** Every command the palette offers, built from the current state so it always matches what is possible. */
export function buildCommands(): Command[] {
  const ui = useUi.getState();
  const session = useSession.getState();
  const commands: Command[] = VIEWS.map((v) => ({ id: `view.${v.id}`, title: v.command, run: () => ui.setView(v.id) }));
  commands.push(
    { id: 'theme.toggle', title: `Switch to ${ui.theme === 'dark' ? 'light' : 'dark'} theme`, run: () => ui.toggleTheme() },
    { id: 'teach.toggle', title: `${ui.teach ? 'Hide' : 'Show'} teach mode (talosctl and gRPC lines)`, run: () => ui.setTeach(!ui.teach) },
    { id: 'lab.open', title: 'Open practice cluster', run: () => session.openPracticeCluster() },
    {
      id: 'lab.scenarios',
      title: 'Practice scenarios…',
      hint: 'stage crashloop, etcd-nospace, drift… on the practice cluster',
      run: () => usePractice.getState().show(),
    },
    { id: 'identities.import', title: 'Import talosconfig…', run: () => ui.setView('identities') },
    {
      id: 'evidence.generate',
      title: 'Generate compliance evidence pack for this cluster',
      hint: 'SOC 2 / ISO 27001, signed, with SBOMs',
      run: () => {
        ui.setView('evidence');
        void useEvidence.getState().generate(null);
      },
    },
    { id: 'identities.mint', title: 'Mint an identity or start an on-call shift…', run: () => ui.setView('identities') },
  );
  const shift = useShift.getState();
  if (shift.shift?.active)
    commands.push({ id: 'shift.end', title: `End the shift (${shift.shift.operator.name})`, run: () => shift.end() });
  for (const identity of session.identities) {
    commands.push({
      id: `identity.${identity.id}`,
      title: `Use identity ${identity.name}`,
      hint: identity.roles.join(', '),
      run: () => shift.choose(identity.id),
    });
  }
  for (const node of session.nodes) {
    commands.push({
      id: `node.${node.address}`,
      title: `Select node ${node.address}${node.hostname ? ` (${node.hostname})` : ''}`,
      run: () => session.setSelected([node.address]),
    });
  }
  if (session.nodes.length > 1) {
    commands.push({ id: 'node.all', title: 'Select all nodes', run: () => session.setSelected(session.nodes.map((n) => n.address)) });
  }
  return commands;
}

export function matchCommands(commands: Command[], query: string): Command[] {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  return commands.filter((c) => words.every((w) => `${c.title} ${c.hint ?? ''}`.toLowerCase().includes(w)));
}
