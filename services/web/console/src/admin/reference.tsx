import { useState } from 'preact/hooks';
import { useConsole } from '../context';
import { ta } from './i18n';

/** The units reports go to, read-only: they come from the reference data. */
export function UnitList() {
  const { units } = useConsole();
  const [filter, setFilter] = useState('');
  const words = filter.trim().toLowerCase();
  const shown = words
    ? units.filter((u) => u.code.toLowerCase().includes(words) || u.name.toLowerCase().includes(words))
    : units;
  return (
    <section class="card admin-section" aria-labelledby="units-title">
      <h2 id="units-title">{ta('units.title')}</h2>
      <div class="field">
        <label for="units-filter">{ta('units.filter')}</label>
        <input
          id="units-filter"
          type="search"
          value={filter}
          onInput={(e) => setFilter((e.currentTarget as HTMLInputElement).value)}
        />
      </div>
      <p>{ta('units.count', { n: shown.length })}</p>
      <div class="admin-table-wrap">
        <table class="admin-table" id="units">
          <thead>
            <tr>
              <th scope="col">{ta('units.code')}</th>
              <th scope="col">{ta('units.name')}</th>
              <th scope="col">{ta('units.kind')}</th>
              <th scope="col">{ta('units.parent')}</th>
            </tr>
          </thead>
          <tbody>
            {shown.slice(0, 500).map((u) => (
              <tr key={u.code}>
                <td class="code">{u.code}</td>
                <td>{u.name}</td>
                <td>{u.kind}</td>
                <td>{u.parent ?? '–'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

/** The complaint categories, read-only: the router's reference list. */
export function CategoryList() {
  const { categories } = useConsole();
  return (
    <section class="card admin-section" aria-labelledby="categories-title">
      <h2 id="categories-title">{ta('categories.title')}</h2>
      <p>{ta('categories.count', { n: categories.length })}</p>
      <ul class="category-list" id="categories">
        {categories.map((c) => (
          <li key={c.name}>{c.name}</li>
        ))}
      </ul>
    </section>
  );
}
