// The embed example: everything a shop needs is `Recommender.load`, `track` and `recommend`.
import init, { Recommender } from './pkg/aisle.js';

const $ = (id) => document.getElementById(id);
/** The loaded recommender: it also writes prices the shop's way. */
let aisle;

function list(element, items, onClick) {
  element.replaceChildren(
    ...items.map((item) => {
      const entry = document.createElement('li');
      entry.dataset.itemId = item.id;
      const button = document.createElement('button');
      button.type = 'button';
      button.textContent = `${item.title} (${aisle.formatPrice(item.price)})`;
      if (onClick) button.addEventListener('click', () => onClick(item));
      const reason = document.createElement('small');
      reason.textContent = ` ${item.reason}`;
      entry.append(button, reason);
      return entry;
    }),
  );
}

try {
  await init();
  aisle = await Recommender.load('../bundle/manifest.json');
  const render = () => {
    list($('for-you'), aisle.recommend({ placement: 'for-you', k: 8 }));
    list($('products'), aisle.recommend({ placement: 'trending', k: 12 }), (item) => {
      aisle.track({ kind: 'view', item: item.id });
      render();
    });
  };
  render();
  $('export').addEventListener('click', () => {
    $('exported').textContent = aisle.exportProfile();
  });
  $('wipe').addEventListener('click', () => {
    aisle.wipe();
    $('exported').textContent = '';
    render();
  });
  $('status').textContent = aisle.warnings.length ? aisle.warnings.join('\n') : 'Ready.';
} catch (error) {
  $('status').textContent = `Aisle could not start: ${error.message}`;
}
