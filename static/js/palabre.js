// Palabre on a phone that loses the network: the service worker, the offline banner, the
// queue shown where its items will appear, drafts, and a phone emptied when its person leaves.
// Every page works without this script; it only adds.
import * as drafts from './drafts.js';
import {drop, keep, resend, send} from './queue.js';
import {due, emptyCaches, owner, purge, queued, setOwner, user} from './store.js';
import {counted, text, when} from './texts.js';

const CASE_PAGE = /^\/cases\/([A-Z]{2,6}-\d{4}-\d{4,6})(\/|$)/;
const me = user();

function button(label, action, secondary) {
  const node = document.createElement('button');
  node.type = 'button';
  node.textContent = label;
  if (secondary) node.className = 'secondary';
  node.onclick = action;
  return node;
}

// The queue's items, on the pages where they will appear (a case's on its page; all on the
// others), with what the server said of those it refused.
async function showPending() {
  const box = document.getElementById('pending');
  if (!box) return;
  const here = (location.pathname.match(CASE_PAGE) || [])[1];
  const items = (await queued()).filter(item => !here || item.case === here);
  box.replaceChildren();
  box.hidden = !items.length;
  if (!items.length) return;
  box.className = 'pending';
  const title = document.createElement('h2');
  title.textContent = counted('pending', items.length);
  const list = document.createElement('ul');
  for (const item of items) {
    const row = document.createElement('li');
    row.className = 'pending-' + item.state;
    const what = document.createElement('strong');
    what.textContent = item.label;
    const state = document.createElement('p');
    state.textContent = item.state === 'waiting' ? text('waiting') + ' · ' + when(item.made)
      : text(item.state === 'conflict' ? 'conflict' : 'refused') + ' ' + item.message;
    row.append(what, state);
    if (item.changes && item.changes.length) {
      const changes = document.createElement('ul');
      changes.className = 'changes';
      for (const line of item.changes) changes.append(Object.assign(document.createElement('li'), {textContent: line}));
      row.append(changes);
    }
    if (item.state !== 'waiting') {
      if (item.case) {
        const link = document.createElement('a');
        link.href = '/cases/' + item.case;
        link.textContent = text('see');
        row.append(link, ' ');
      }
      if (item.state === 'conflict') row.append(button(text('resend'), () => resend(item).then(showPending)), ' ');
      else row.append(button(text('fix'), () => fix(item)), ' ');
      row.append(button(text('drop'), () => drop(item.id).then(showPending), true));
    }
    list.append(row);
  }
  box.append(title, list);
  if (items.some(item => item.state === 'waiting') && navigator.onLine) {
    box.append(button(text('send'), () => send().then(showPending)));
  }
}

// A refused item goes back into its form, as a draft to correct and send.
async function fix(item) {
  await drafts.keepDraft(item.url, item.fields.filter(([name]) => name !== 'csrf_token'));
  await drop(item.id);
  location.href = item.url;
}

function offlineSubmit(event) {
  const form = event.target;
  if (form.method.toLowerCase() !== 'post' || navigator.onLine) return;
  event.preventDefault();
  const submitter = event.submitter;
  // Sign-offs, administration, confidential cases, a party row added: online only.
  if (!form.dataset.offline || (submitter && submitter.formNoValidate) || drafts.secret(form)) {
    let note = form.querySelector('.online-only');
    if (!note) {
      note = document.createElement('p');
      note.className = 'alert online-only';
      note.setAttribute('role', 'alert');
      note.textContent = text('onlineOnly');
      form.prepend(note);
    }
    return;
  }
  keep(form, submitter).then(() => drafts.dropDraft(drafts.formKey(form))).then(() => {
    location.href = form.dataset.case ? '/cases/' + form.dataset.case : '/';
  });
}

// Sign-out: send what waits if the network is there, warn of what would be lost, then empty
// the phone of this person's pages, queue and drafts.
async function signOut(form) {
  let left = (await queued()).length;
  if (left && navigator.onLine) left = await send();
  if (left && !confirm(counted('signout', left))) return;
  await purge();
  form.submit();
}

async function whoseIsThePhone() {
  const before = await owner();
  if (me && before && before !== me) await purge(); // someone else signs in: nothing of theirs
  if (me && before !== me) await setOwner(me);
  if (!me) {
    await emptyCaches(); // the session is over: no page of it stays
    const left = before ? (await queued(before)).length : 0;
    const box = document.getElementById('pending');
    if (left && box) {
      box.className = 'alert';
      box.textContent = counted('left', left);
      box.hidden = false;
    }
  }
}

function banner() {
  const saved = document.documentElement.dataset.offlineSaved;
  const node = document.getElementById('offline-banner');
  if (saved && node) {
    node.textContent = text('seen', {date: when(Number(saved))});
    node.hidden = false;
  }
}

document.addEventListener('submit', event => {
  const form = event.target;
  if (form.action.endsWith('/logout')) {
    event.preventDefault();
    signOut(form);
    return;
  }
  offlineSubmit(event);
});

banner();
drafts.settle();
document.querySelectorAll('form[data-draft]').forEach(drafts.watch);
whoseIsThePhone().then(async () => {
  if (me) {
    await showPending();
    if (navigator.onLine) await send();
    await showPending();
  }
});
addEventListener('online', () => send().then(showPending));

// With the network, now and then (once for all the tabs): the worker fetches and keeps the
// pages listed for this person, so that they open in the village; those unchanged cost a 304.
const WARM_EVERY = 10 * 60 * 1000;

async function warm(registration) {
  if (!navigator.onLine || !registration.active || !(await due(WARM_EVERY))) return;
  const now = await fetch('/offline/session', {cache: 'no-store'})
    .then(answer => (answer.ok ? answer.json() : null), () => null);
  if (!now || !now.pages.length || !(await due(WARM_EVERY, true))) return;
  const files = [...document.querySelectorAll('script[src], link[rel=stylesheet], link[rel=icon]')]
    .map(node => node.src || node.href).concat(['/offline'])
    .concat(['store.js', 'queue.js', 'drafts.js', 'texts.js'].map(name => new URL(name, import.meta.url).href));
  registration.active.postMessage({warm: now.pages, files});
}

if ('serviceWorker' in navigator && me) {
  navigator.serviceWorker.register('/sw.js').then(() => navigator.serviceWorker.ready)
    .then(warm).catch(() => {});
}
