/**
 * Drives the app inside a bare page (see bare-page.ts) the way an operator would, with DOM events only:
 * installed once as `window.__ng`. Plain JavaScript, since tsx's helpers do not exist inside the page.
 */
export const PAGE_DRIVER = `(() => {
  const name = (el) => {
    if (el.getAttribute('aria-label')) return el.getAttribute('aria-label').trim();
    const copy = el.cloneNode(true);
    copy.querySelectorAll('[aria-hidden="true"]').forEach((hidden) => hidden.remove());
    return (copy.textContent || '').trim();
  };
  const find = (selector, label) => {
    const match = [...document.querySelectorAll(selector)].find((el) => (label instanceof RegExp ? label.test(name(el)) : name(el) === label));
    if (!match) throw new Error('no ' + selector + ' named ' + label);
    return match;
  };
  const control = (label) => {
    const direct = document.querySelector('[aria-label="' + label + '"]');
    if (direct) return direct;
    const wrapping = [...document.querySelectorAll('label')].find((l) => l.textContent.trim() === label);
    if (wrapping && wrapping.control) return wrapping.control;
    throw new Error('no control labelled ' + label);
  };
  const setValue = (el, value, event) => {
    const proto = el instanceof HTMLSelectElement ? HTMLSelectElement.prototype : HTMLInputElement.prototype;
    Object.getOwnPropertyDescriptor(proto, 'value').set.call(el, value);
    el.dispatchEvent(new Event(event, { bubbles: true }));
  };
  window.__ng = {
    nodes: () => document.querySelectorAll('[aria-label="Nodes"] input[type="checkbox"]').length,
    tab: (label) => find('[role="tab"]', label).click(),
    click: (label) => find('button', label).click(),
    expand: (label) => {
      const toggle = find('button', label);
      if (toggle.getAttribute('aria-expanded') !== 'true') toggle.click();
    },
    check: (label, on) => {
      const box = control(label);
      if (box.checked !== on) box.click();
    },
    select: (label, value) => setValue(control(label), value, 'change'),
    /** Types into a box (a search applies as you type, after a short pause). */
    type: (label, text) => setValue(control(label), text, 'input'),
    /** Presses Enter in a box (a search applies at once). */
    enter: (label) => control(label).dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true })),
    text: (label) => control(label).textContent || '',
    /**
     * Watches a control's text from now on: \`window.__armed\` becomes true once it does not match \`pattern\`,
     * and \`window.__seen\` the time (Date.now()) it first matches after that. An observer sees the very
     * update, and the bench need not poll the page many times a second while it measures (each poll costs
     * the page, the browser and the host).
     */
    watch: (label, pattern) => {
      const el = control(label);
      const re = new RegExp(pattern);
      window.__armed = false;
      window.__seen = null;
      const check = () => {
        const matches = re.test(el.textContent || '');
        if (!matches) window.__armed = true;
        else if (window.__armed) {
          window.__seen = Date.now();
          observer.disconnect();
        }
      };
      const observer = new MutationObserver(check);
      observer.observe(el, { childList: true, subtree: true, characterData: true });
      check();
    },
  };
  return true;
})()`;
