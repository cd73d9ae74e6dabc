// Palabre's service worker: keeps the pages the server marks `X-Palabre-Cache: keep` (a
// mediator's Mon travail, case list and open, non-confidential cases of their team, with the
// forms the team fills in the village: casework/access.py decides), refreshed whenever the
// network is there, and shows them offline with the date they were last seen. It keeps no
// other page: a confidential case, another person's page, a coordinator's or an authority's
// are never stored. The page's script empties everything at sign-out.
const PAGES = 'palabre-pages';
const SHELL = 'palabre-shell';
const KEEP = 'X-Palabre-Cache';
const SAVED = 'X-Palabre-Saved';

self.addEventListener('install', event => {
  self.skipWaiting();
  event.waitUntil(caches.open(SHELL).then(cache => cache.add('/offline')).catch(() => {}));
});

self.addEventListener('activate', event => event.waitUntil(self.clients.claim()));

self.addEventListener('fetch', event => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== 'GET' || url.origin !== location.origin) return;
  if (url.pathname.startsWith('/static/')) event.respondWith(asset(request));
  else if (request.mode === 'navigate') event.respondWith(page(event, request));
});

let warming = null; // one round at a time, whichever tab asked

self.addEventListener('message', event => {
  if (event.data && event.data.warm) {
    warming = warming || caches.open(SHELL).then(cache => cache.addAll(event.data.files || []))
      .catch(() => {}).then(() => warm(event.data.warm)).finally(() => { warming = null; });
    event.waitUntil(warming);
  }
});

async function asset(request) {
  const kept = await caches.match(request);
  if (kept) return kept;
  const answer = await fetch(request);
  if (answer.ok) (await caches.open(SHELL)).put(request, answer.clone());
  return answer;
}

async function page(event, request) {
  try {
    const answer = await fetch(request);
    event.waitUntil(keepOrForget(request.url, answer.clone()).catch(() => {}));
    return answer;
  } catch (dropped) {
    const kept = await caches.match(request.url, {cacheName: PAGES, ignoreVary: true});
    if (kept) return seenOn(kept);
    return (await caches.match('/offline', {cacheName: SHELL})) || Response.error();
  }
}

// Keep a page the server marked, forget any other one (a case that became confidential or
// closed, a page now refused); a session that ended forgets them all. The page's text when kept.
async function keepOrForget(url, answer) {
  if (answer.status === 401 || (answer.redirected && new URL(answer.url).pathname === '/login')) {
    await caches.delete(PAGES);
    throw new Error('the session is over'); // nothing more to fetch for it
  }
  const cache = await caches.open(PAGES);
  const kept = answer.status === 304 && answer.headers.get(KEEP) === 'keep'
    && await cache.match(url, {ignoreVary: true}); // unchanged: seen again now
  if (!kept && (answer.status !== 200 || answer.headers.get(KEEP) !== 'keep')) {
    await cache.delete(url);
    if (answer.body) answer.body.cancel().catch(() => {}); // not to keep: read no further
    return null;
  }
  const text = await (kept || answer).text();
  const headers = new Headers((kept || answer).headers);
  headers.delete('Content-Encoding'); // the text is kept decoded
  headers.delete('Content-Length');
  headers.set(SAVED, String(Date.now()));
  await cache.put(url, new Response(text, {status: 200, headers}));
  return text;
}

// A kept page, marked for the page's script to say when it was last seen.
async function seenOn(kept) {
  const text = await kept.text();
  const saved = kept.headers.get(SAVED) || '';
  return new Response(text.replace('<html ', `<html data-offline-saved="${saved}" `),
                      {headers: kept.headers});
}

// Fetch and keep the pages the server listed for this person (/offline/session), one at a
// time; each is kept only if the server marks it so when it answers. A page kept already is
// asked with its tag: unchanged, the answer is a 304 of a few hundred bytes.
async function warm(paths) {
  const cache = await caches.open(PAGES);
  for (const path of paths) {
    const url = new URL(path, location.origin).href;
    const kept = await cache.match(url, {ignoreVary: true});
    const headers = {'X-Palabre-Warm': '1'};
    if (kept && kept.headers.get('ETag')) headers['If-None-Match'] = kept.headers.get('ETag');
    try {
      await keepOrForget(url, await fetch(path, {credentials: 'same-origin', headers}));
    } catch (dropped) {
      return;
    }
  }
}
