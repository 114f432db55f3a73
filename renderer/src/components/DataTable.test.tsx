import { fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { DataTable, type Column } from './DataTable';

interface Row {
  node: string;
  name: string;
  cpu: number;
}

const rows: Row[] = [
  { node: '10.5.0.2', name: 'etcd', cpu: 12.5 },
  { node: '10.5.0.3', name: 'kubelet', cpu: 40 },
  { node: '10.5.0.2', name: 'apid', cpu: 2 },
];
const columns: Column<Row>[] = [
  { key: 'node', label: 'Node', value: (r) => r.node },
  { key: 'name', label: 'Name', value: (r) => r.name },
  { key: 'cpu', label: 'CPU', value: (r) => r.cpu },
];

const names = () =>
  screen
    .getAllByRole('row')
    .slice(1)
    .map((r) => within(r).getAllByRole('cell')[1]!.textContent);

describe('DataTable', () => {
  it('sorts numerically by the initial column and toggles on click', () => {
    render(<DataTable label="Processes" rows={rows} columns={columns} rowKey={(r) => r.name} initialSort={{ key: 'cpu', desc: true }} />);
    expect(names()).toEqual(['kubelet', 'etcd', 'apid']);
    fireEvent.click(screen.getByRole('button', { name: /CPU/ }));
    expect(names()).toEqual(['apid', 'etcd', 'kubelet']);
    fireEvent.click(screen.getByRole('button', { name: /Name/ }));
    expect(names()).toEqual(['apid', 'etcd', 'kubelet']);
    fireEvent.click(screen.getByRole('button', { name: /Name/ }));
    expect(names()).toEqual(['kubelet', 'etcd', 'apid']);
  });

  it('filters across columns as you type and counts what it shows', async () => {
    render(<DataTable label="Processes" rows={rows} columns={columns} rowKey={(r) => r.name} />);
    fireEvent.change(screen.getByLabelText('Filter Processes'), { target: { value: '10.5.0.2' } });
    await waitFor(() => expect(names().sort()).toEqual(['apid', 'etcd']));
    expect(screen.getByText('2 of 3 rows')).toBeTruthy();
    fireEvent.change(screen.getByLabelText('Filter Processes'), { target: { value: 'nothing like it' } });
    await waitFor(() => expect(screen.getByText(/Nothing matches “nothing like it”/)).toBeTruthy());
  });

  it('right-aligns numeric columns, header included, and sorts by keyboard', () => {
    const numeric: Column<Row>[] = [...columns.slice(0, 2), { ...columns[2]!, align: 'right' }];
    render(<DataTable label="Processes" rows={rows} columns={numeric} rowKey={(r) => r.name} />);
    const header = screen.getByRole('columnheader', { name: /CPU/ });
    expect(header.className).toBe('num');
    expect(screen.getAllByRole('cell')[2]!.className).toBe('num');
    fireEvent.click(within(header).getByRole('button'));
    expect(header.getAttribute('aria-sort')).toBe('descending');
    expect(names()).toEqual(['kubelet', 'etcd', 'apid']);
  });

  it('says it is loading instead of showing an empty table, and says so when there is nothing', () => {
    const { rerender } = render(<DataTable label="Mounts" rows={[]} columns={columns} rowKey={(r) => r.name} loading />);
    expect(screen.getByRole('status').textContent).toBe('Loading mounts…');
    rerender(<DataTable label="Mounts" rows={[]} columns={columns} rowKey={(r) => r.name} empty="No mounts on this node." />);
    expect(screen.getByText('No mounts on this node.')).toBeTruthy();
  });

  it('opens a row by click or Enter', () => {
    const opened: string[] = [];
    render(<DataTable label="Processes" rows={rows} columns={columns} rowKey={(r) => r.name} onOpen={(r) => opened.push(r.name)} />);
    fireEvent.click(screen.getByText('kubelet'));
    fireEvent.keyDown(screen.getByText('apid').closest('tr')!, { key: 'Enter' });
    expect(opened).toEqual(['kubelet', 'apid']);
  });
});
