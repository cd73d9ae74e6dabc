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

export function fill(form, values) {
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
  form.addEventListener('submit', () => {
    clearTimeout(timer);
    waiting = false;
    sessionStorage.setItem(SENT, key);
  });
  const kept = await draft(key);
  // A form sent back with its errors already shows what was typed.
  if (kept && !form.querySelector('.has-error, .alert')) offer(form, kept);
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
