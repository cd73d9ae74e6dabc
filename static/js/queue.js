// The offline queue: forms made without the network, sent in order when it returns, each
// once (its key makes a copy sent again a no-op on the server). A 409 (the case changed) or
// a 400 (a value refused) keeps the item, with what the server said, until the person sends
// it again or drops it: nothing is lost silently.
import {dequeue, enqueue, queued, update, user} from './store.js';

let running = null;

export function keep(form, submitter) {
  const fields = [...new FormData(form, submitter)].filter(([, value]) => typeof value === 'string');
  const key = crypto.randomUUID();
  // A report's one-time token: one per item, so that two reports made offline from one kept
  // form are two cases, and one sent twice is one.
  const once = fields.find(([name]) => name === 'submission');
  if (once) once[1] = key;
  return enqueue({url: new URL(form.action, location.href).pathname, fields, key, kind: form.dataset.offline,
                  label: form.dataset.offlineLabel || document.title,
                  case: form.dataset.case || null});
}

// Send what waits; one run at a time. Resolves to the number of items still kept.
export function send() {
  running = running || sendAll().finally(() => { running = null; });
  return running;
}

async function session() {
  try {
    const answer = await fetch('/offline/session', {cache: 'no-store'});
    return answer.ok ? answer.json() : null;
  } catch (dropped) {
    return null;
  }
}

async function sendAll() {
  let items = await queued();
  if (!items.some(item => item.state === 'waiting')) return items.length;
  const now = await session();
  if (!now || String(now.user) !== user()) return items.length; // signed out: it waits
  for (const stale of items) {
    const item = (await queued()).find(kept => kept.id === stale.id); // as follow() left it
    if (!item || item.state !== 'waiting') continue;
    const body = new URLSearchParams(item.fields);
    body.set('csrf_token', now.csrf);
    let answer;
    try {
      answer = await fetch(item.url, {method: 'POST', body, headers: {'X-Palabre-Key': item.key}});
    } catch (dropped) {
      break; // the network dropped: the rest waits, in order
    }
    if (answer.ok && answer.redirected && !new URL(answer.url).pathname.startsWith('/login')) {
      await dequeue(item.id);
      await follow(item, body.get('version'), await versionOf(answer));
    } else if (answer.status === 400 || answer.status === 409 || answer.status === 403) {
      await refused(item, answer);
    } else {
      break; // signed out meanwhile, or the server is unwell: try again later
    }
  }
  items = await queued();
  return items.length;
}

// The items made on the same case as it was before this one was sent follow it: they are
// sent on the version it led to (the case changed, but by this phone's own queue).
async function follow(sent, made, version) {
  if (!sent.case || made === null || !version) return;
  for (const item of await queued()) {
    const fields = item.fields.map(([name, value]) => [name, name === 'version' && value === made
                                                              && item.case === sent.case
                                                              ? version : value]);
    if (JSON.stringify(fields) !== JSON.stringify(item.fields)) await update({...item, fields});
  }
}

// The case's version on the page an item led to (its case page).
async function versionOf(answer) {
  const found = /name="palabre-case-version" content="(\d+)"/.exec(await answer.text());
  return found && found[1];
}

// What the server said, read from the form page it sent back.
async function refused(item, answer) {
  const page = new DOMParser().parseFromString(await answer.text(), 'text/html');
  const errors = [...page.querySelectorAll('.alert p, .error')].map(node => {
    const field = node.closest('.field');
    const label = field && field.querySelector('label, legend');
    return (label ? label.textContent.trim() + ' : ' : '') + node.textContent.trim();
  });
  const version = page.querySelector('input[name=version]');
  item.state = answer.status === 409 ? 'conflict' : 'refused';
  item.message = errors.join(' ') || String(answer.status);
  // What happened to the case since the item was written (its history's lines).
  item.changes = [...page.querySelectorAll('.alert .changes li')]
    .map(line => line.textContent.replace(/\s+/g, ' ').trim());
  if (version) item.version = version.value; // the case as it is now, to send again on
  await update(item);
}

// The person read what changed and sends it again, on the case as it is now.
export async function resend(item) {
  if (item.version) {
    item.fields = item.fields.map(([name, value]) => [name, name === 'version' ? item.version
                                                                             : value]);
  }
  item.state = 'waiting';
  item.message = '';
  item.changes = [];
  item.key = crypto.randomUUID(); // a new attempt; the first one did nothing
  await update(item);
  return send();
}

export {dequeue as drop};
