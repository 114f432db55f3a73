import { fireEvent, render, screen, within } from '@testing-library/react';
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
    fireEvent.click(screen.getByRole('columnheader', { name: /CPU/ }));
    expect(names()).toEqual(['apid', 'etcd', 'kubelet']);
    fireEvent.click(screen.getByRole('columnheader', { name: /Name/ }));
    expect(names()).toEqual(['kubelet', 'etcd', 'apid']);
  });

  it('filters across columns and counts what it shows', () => {
    render(<DataTable label="Processes" rows={rows} columns={columns} rowKey={(r) => r.name} />);
    fireEvent.change(screen.getByLabelText('Filter Processes'), { target: { value: '10.5.0.2' } });
    expect(names().sort()).toEqual(['apid', 'etcd']);
    expect(screen.getByText('2 of 3')).toBeTruthy();
  });
});
