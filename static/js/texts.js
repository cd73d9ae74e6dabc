// The words of the offline scripts, from the page (templates/_offline.html), in its language.
export function text(name, values = {}) {
  const node = document.getElementById('palabre-texts');
  let said = (node && node.dataset[name]) || '';
  for (const [key, value] of Object.entries(values)) said = said.replace('{' + key + '}', value);
  return said;
}

// A count in words: French says "0 élément", "1 élément", "2 éléments" (English: 1 item only).
export function counted(name, n) {
  const many = document.documentElement.lang === 'fr' ? n >= 2 : n !== 1;
  return text(name + (many ? 'Many' : 'One'), {n});
}

export const when = ms => new Date(ms).toLocaleString(document.documentElement.lang || 'fr',
  {dateStyle: 'short', timeStyle: 'short'});
