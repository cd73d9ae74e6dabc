// What the phone keeps in IndexedDB: the offline queue and the drafts, each record under the
// signed-in user's id, so that a second person on the phone never sees the first's.
// One database for both, so that a sign-out or another person signing in empties them at once.
const NAME = 'palabre';
const STORES = ['queue', 'drafts', 'meta'];
const WARMED = 'warmed';
let opened;

function open() {
  opened = opened || new Promise((resolve, reject) => {
    const request = indexedDB.open(NAME, 1);
    request.onupgradeneeded = () => {
      const db = request.result;
      db.createObjectStore('queue', {keyPath: 'id', autoIncrement: true});
      db.createObjectStore('drafts', {keyPath: 'key'});
      db.createObjectStore('meta', {keyPath: 'name'});
    };
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
  return opened;
}

async function run(names, mode, work) {
  const db = await open();
  return new Promise((resolve, reject) => {
    const tx = db.transaction(names, mode);
    let result;
    const request = work(tx);
    if (request) request.onsuccess = () => { result = request.result; };
    tx.oncomplete = () => resolve(result);
    tx.onerror = tx.onabort = () => reject(tx.error);
  });
}

const one = (name, mode, work) => run([name], mode, tx => work(tx.objectStore(name)));

// The signed-in user's id ('' when nobody is), as the page says it.
export function user() {
  const meta = document.querySelector('meta[name=palabre-user]');
  return meta ? meta.content : '';
}

// -- the queue: forms waiting to be sent, in the order they were made ----------------------
export async function queued(owner = user()) {
  const all = await one('queue', 'readonly', s => s.getAll());
  return all.filter(item => item.user === owner).sort((a, b) => a.id - b.id);
}
export const enqueue = item => one('queue', 'readwrite',
  s => s.add({...item, user: user(), state: 'waiting', made: Date.now()}));
export const update = item => one('queue', 'readwrite', s => s.put(item));
export const dequeue = id => one('queue', 'readwrite', s => s.delete(id));

// -- drafts: a long form's fields, by form ---------------------------------------------------
const draftKey = form => user() + ' ' + form;
export const draft = form => one('drafts', 'readonly', s => s.get(draftKey(form)));
export const keepDraft = (form, fields) => one('drafts', 'readwrite',
  s => s.put({key: draftKey(form), user: user(), fields, saved: Date.now()}));
export const dropDraft = form => one('drafts', 'readwrite', s => s.delete(draftKey(form)));

// -- whose the phone's records are -------------------------------------------------------------
export async function owner() {
  const row = await one('meta', 'readonly', s => s.get('owner'));
  return row ? row.value : '';
}
export const setOwner = value => one('meta', 'readwrite', s => s.put({name: 'owner', value}));

// The kept pages' last refresh, for all the tabs: whether it is older than `every` ms; with
// `claim`, noted as now in the same transaction, so that of two tabs only one refreshes them.
export async function due(every, claim = false) {
  let now = false;
  await run(['meta'], claim ? 'readwrite' : 'readonly', tx => {
    const store = tx.objectStore('meta');
    store.get(WARMED).onsuccess = ({target}) => {
      now = Date.now() - (target.result ? target.result.value : 0) >= every;
      if (now && claim) store.put({name: WARMED, value: Date.now()});
    };
  });
  return now;
}

// Everything kept for offline work: pages (Cache Storage), queue, drafts, owner.
export async function purge() {
  await run(STORES, 'readwrite', tx => { STORES.forEach(n => tx.objectStore(n).clear()); });
  await emptyCaches();
}
export async function emptyCaches() {
  await one('meta', 'readwrite', s => s.delete(WARMED)); // nothing kept: the next page refreshes
  if (!('caches' in self)) return;
  for (const name of await caches.keys()) await caches.delete(name);
}
