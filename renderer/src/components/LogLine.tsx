import { SEVERITY_NAMES, type Severity } from '../logs/parse-line';
import { structure } from '../logs/structured';
import { Visible } from './Visible';

/** Splits text around search matches; the text is rendered as text nodes only. */
export function Highlighted({ text, search }: { text: string; search: RegExp | null }) {
  if (!search) return <Visible text={text} />;
  const parts: React.ReactNode[] = [];
  let last = 0;
  search.lastIndex = 0;
  for (let m = search.exec(text); m && parts.length < 200; m = search.exec(text)) {
    if (m[0] === '') {
      search.lastIndex++;
      continue;
    }
    parts.push(
      <Visible key={`t${last}`} text={text.slice(last, m.index)} />,
      <mark key={m.index}>
        <Visible text={m[0]} />
      </mark>,
    );
    last = m.index + m[0].length;
  }
  parts.push(<Visible key={`t${last}`} text={text.slice(last)} />);
  return <>{parts}</>;
}

/** `kubelet/kubelet_node_status.go:107` reads as `kubelet_node_status.go:107` in the column; the title has it all. */
const shortComponent = (component: string) => (/\.go:\d+$/.test(component) ? component.slice(component.lastIndexOf('/') + 1) : component);

const matches = (search: RegExp | null, text: string) => {
  if (!search) return false;
  search.lastIndex = 0;
  return search.test(text);
};

export interface LogLineProps {
  text: string;
  /** The severity the store read from the line (the one the severity filter uses). */
  severity: Severity;
  search: RegExp | null;
  /** Level, component and message as columns (`c`); off shows the raw line. */
  columns: boolean;
  /** The operator opened (true) or closed (false) the line's other fields; undefined: open when the search matches one. */
  expanded: boolean | undefined;
  onToggleFields(open: boolean): void;
}

/**
 * One log line: as text, or (columns on) as level, component and message, as k9s and Lens show them.
 * A JSON, logfmt, zap or klog line's other fields fold into a "+N" button and open inline.
 */
export function LogLine({ text, severity, search, columns, expanded, onToggleFields }: LogLineProps) {
  if (!columns)
    return (
      <span className="log-text">
        <Highlighted text={text} search={search} />
      </span>
    );
  const s = structure(text);
  const level = severity ? SEVERITY_NAMES[severity] : (s?.level ?? '');
  const open = expanded ?? s?.fields.some(([k, v]) => matches(search, `${k}=${v}`)) ?? false;
  return (
    <>
      <span className={`log-level level-${level}`}>{level}</span>
      {s && (
        <span className="log-component" title={s.component}>
          <Visible text={shortComponent(s.component)} />
        </span>
      )}
      <span className="log-text">
        <Highlighted text={s ? s.message : text} search={search} />
      </span>
      {s && s.fields.length > 0 && (
        <>
          {' '}
          <button
            className="log-fields-toggle"
            aria-expanded={open}
            title={open ? 'Hide the other fields' : s.fields.map(([k]) => k).join(', ')}
            onClick={(e) => {
              e.stopPropagation();
              onToggleFields(!open);
            }}
          >
            {open ? '−' : `+${s.fields.length}`}
          </button>
          {open && (
            <span className="log-fields">
              {s.fields.map(([key, value]) => (
                <span key={key} className="log-field">
                  {' '}
                  <span className="log-field-key">{key}=</span>
                  <Highlighted text={value} search={search} />
                </span>
              ))}
            </span>
          )}
        </>
      )}
    </>
  );
}
