import { yaml } from '@codemirror/lang-yaml';
import { foldGutter, foldKeymap, HighlightStyle, syntaxHighlighting } from '@codemirror/language';
import { EditorState } from '@codemirror/state';
import { findNext, highlightSelectionMatches, search, SearchQuery, setSearchQuery } from '@codemirror/search';
import { drawSelection, EditorView, keymap, lineNumbers } from '@codemirror/view';
import { tags } from '@lezer/highlight';
import { useEffect, useRef } from 'react';

const highlight = HighlightStyle.define([
  { tag: tags.propertyName, color: 'var(--accent)' },
  { tag: [tags.string, tags.content], color: 'var(--text)' },
  { tag: [tags.number, tags.bool, tags.null], color: 'var(--warn)' },
  { tag: tags.comment, color: 'var(--muted)', fontStyle: 'italic' },
  { tag: [tags.meta, tags.punctuation, tags.separator], color: 'var(--muted)' },
]);

const theme = EditorView.theme({
  '&': { backgroundColor: 'var(--code)', color: 'var(--text)', border: '1px solid var(--border)', borderRadius: '6px', fontSize: '12.5px' },
  '.cm-gutters': { backgroundColor: 'var(--panel)', color: 'var(--muted)', border: 'none' },
  '.cm-content': { fontFamily: 'ui-monospace, Menlo, Consolas, monospace' },
  '.cm-scroller': { maxHeight: '70vh' },
});

/** A YAML editor (CodeMirror) with highlighting and folding, read-only unless `onChange` is given; text is never interpreted as markup. */
export function YamlViewer({
  text,
  label,
  onChange,
  find,
  onMatches,
}: {
  text: string;
  label: string;
  onChange?: (text: string) => void;
  /** Text to find: the first (then, as `seq` grows, the next) match is selected and scrolled to; the others are highlighted. */
  find?: { text: string; seq: number };
  onMatches?: (count: number) => void;
}) {
  const host = useRef<HTMLDivElement>(null);
  const view = useRef<EditorView | null>(null);
  const changed = useRef(onChange);
  changed.current = onChange;
  useEffect(() => {
    if (!host.current) return;
    view.current = new EditorView({
      parent: host.current,
      state: EditorState.create({
        doc: text,
        extensions: [
          lineNumbers(),
          drawSelection(),
          search(),
          highlightSelectionMatches({ minSelectionLength: 1 }),
          foldGutter(),
          keymap.of(foldKeymap),
          yaml(),
          syntaxHighlighting(highlight),
          theme,
          EditorState.readOnly.of(!changed.current),
          EditorView.editable.of(Boolean(changed.current)),
          // Focusable even when read-only, so the keyboard can scroll and search it.
          EditorView.contentAttributes.of({ 'aria-label': label, tabindex: '0' }),
          EditorView.updateListener.of((u) => {
            if (u.docChanged) changed.current?.(u.state.doc.toString());
          }),
        ],
      }),
    });
    return () => view.current?.destroy();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);
  useEffect(() => {
    const v = view.current;
    if (v && !changed.current && v.state.doc.toString() !== text)
      v.dispatch({ changes: { from: 0, to: v.state.doc.length, insert: text } });
  }, [text]);
  const counted = useRef(onMatches);
  counted.current = onMatches;
  const lastFind = useRef('');
  useEffect(() => {
    const v = view.current;
    if (!v || !find) return;
    const query = new SearchQuery({ search: find.text, caseSensitive: false, literal: true });
    v.dispatch({ effects: setSearchQuery.of(query) });
    if (!find.text) {
      counted.current?.(0);
      return;
    }
    let count = 0;
    for (const cursor = query.getCursor(v.state); !cursor.next().done;) count++;
    counted.current?.(count);
    // A new text starts from the top; the same text again (Enter) goes on to the next match.
    if (find.text !== lastFind.current) v.dispatch({ selection: { anchor: 0 } });
    lastFind.current = find.text;
    if (count) findNext(v);
  }, [find, text]);
  return <div ref={host} data-testid="yaml-viewer" />;
}
