// Drafts of the long forms (report, step, visit, proposal): what is typed is kept on the
// phone as it is typed, offered back when the form is opened again, and erased once the form
// is sent (or at sign-out, with the queue: store.js).
import {draft, dropDraft, keepDraft} from './store.js';
import {text, when} from './texts.js';

const SENT = 'palabre-sent';
const SKIPPED = new Set(['csrf_token', 'version']); // always the page's own

const formKey = form => new URL(form.action, location.href).pathname;
const fields = form => [...new FormData(form)]
  .filter(([name, value]) => typeof value === 'string' && !SKIPPED.has(name));

// A party row the draft had and the page has not ("Ajouter une partie" made it on the
// server): made again from the page's last row, renumbered and empty, as the server makes it.
const ROW = /^(\w+)-(\d+)-/;
function grow(form, name) {
  const [, list, wanted] = ROW.exec(name) || [];
  while (list && !form.querySelector(`[name="${CSS.escape(name)}"]`)) {
    const last = [...form.querySelectorAll(`[name^="${list}-"]`)].pop();
    const row = last && last.closest('.party');
    const index = last ? Number(ROW.exec(last.name)[2]) + 1 : NaN;
    if (!row || !(index <= Number(wanted))) return;
    const copy = row.cloneNode(true);
    const [from, to] = [`${list}-${index - 1}-`, `${list}-${index}-`];
    for (const node of copy.querySelectorAll('[name], [id], [for]')) {
      for (const attribute of ['name', 'id', 'for']) {
        const value = node.getAttribute(attribute);
        if (value) node.setAttribute(attribute, value.split(from).join(to));
      }
      node.removeAttribute('aria-invalid');
      node.removeAttribute('aria-describedby');
      if (node.tagName === 'SELECT') node.selectedIndex = 0;
      else if (node.type === 'checkbox' || node.type === 'radio') node.checked = false;
      else if ('value' in node) node.value = '';
    }
    copy.querySelectorAll('.error').forEach(node => node.remove());
    copy.querySelectorAll('.has-error').forEach(node => node.classList.remove('has-error'));
    const legend = copy.querySelector('legend');
    if (legend) legend.textContent = legend.textContent.replace(/\d+/, index + 1);
    row.after(copy);
  }
}

export function fill(form, values) {
  for (const [name] of values) grow(form, name);
  const byName = new Map();
  for (const [name, value] of values) byName.set(name, [...(byName.get(name) || []), value]);
  for (const [name, list] of byName) {
    for (const input of form.querySelectorAll(`[name="${CSS.escape(name)}"]`)) {
      if (input.type === 'checkbox' || input.type === 'radio') input.checked = list.includes(input.value);
      else if (input.type !== 'hidden' && input.type !== 'file') input.value = list[0];
    }
  }
}

function offer(form, kept) {
  const box = document.createElement('div');
  box.className = 'flash flash-info draft-offer';
  box.setAttribute('role', 'status');
  const say = document.createElement('p');
  say.textContent = text('draft', {date: when(kept.saved)});
  const restore = document.createElement('button');
  restore.type = 'button';
  restore.textContent = text('restore');
  const erase = document.createElement('button');
  erase.type = 'button';
  erase.className = 'secondary';
  erase.textContent = text('discard');
  restore.onclick = () => { fill(form, kept.fields); box.remove(); };
  erase.onclick = () => { dropDraft(formKey(form)); box.remove(); };
  box.append(say, restore, ' ', erase);
  form.prepend(box);
}

// A report of a confidential kind (gender-based violence): nothing of it stays on the phone.
export function secret(form) {
  const kind = form.elements.conflict_type;
  return Boolean(form.dataset.confidential && kind && kind.value === form.dataset.confidential);
}

export async function watch(form) {
  const key = formKey(form);
  let timer;
  let waiting = false; // typed since the draft was last kept
  const keep = () => {
    clearTimeout(timer);
    if (waiting) keepDraft(key, fields(form));
    waiting = false;
  };
  form.addEventListener('input', () => {
    clearTimeout(timer);
    if (secret(form)) {
      waiting = false;
      dropDraft(key);
      return;
    }
    waiting = true;
    timer = setTimeout(keep, 400);
  });
  // Leaving the page within the pause (a link tapped, Back): what was just typed is kept too.
  addEventListener('pagehide', keep);
  form.addEventListener('submit', event => {
    // "Ajouter une partie" (formnovalidate) brings the form back with a row more: not sent.
    if (event.submitter && event.submitter.formNoValidate) return keep();
    clearTimeout(timer);
    waiting = false;
    sessionStorage.setItem(SENT, key);
  });
  const kept = await draft(key);
  // A form sent back with its errors, or with a row added, already shows what was typed.
  const shown = new Set(fields(form).map(pair => JSON.stringify(pair)));
  if (kept && !form.querySelector('.has-error, .alert')
      && !kept.fields.every(pair => shown.has(JSON.stringify(pair)))) offer(form, kept);
}

// A form sent from this tab, and the page now shown is another one: it was done.
export async function settle() {
  const sent = sessionStorage.getItem(SENT);
  if (sent && sent !== location.pathname) {
    sessionStorage.removeItem(SENT);
    await dropDraft(sent);
  }
}

export {dropDraft, formKey, keepDraft};
