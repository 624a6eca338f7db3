import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ALL_SEARCH_ATTRIBUTES } from './search-attributes';

describe('search attributes', () => {
  it('are the ones the Temporal server registers at start (infra/temporal-search-attributes.json)', () => {
    const file = JSON.parse(readFileSync(join(__dirname, '../../../infra/temporal-search-attributes.json'), 'utf8')) as {
      attributes: Record<string, string>;
    };
    const declared = Object.fromEntries(ALL_SEARCH_ATTRIBUTES.map((k) => [k.name, k.type]));
    const registered = Object.fromEntries(Object.entries(file.attributes).map(([n, t]) => [n, t.toUpperCase()]));
    expect(declared).toEqual(registered);
  });
});
