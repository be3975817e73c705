import './admin.css';
import { ta, type Key } from './i18n';
import { Officers } from './officers';
import { CategoryList, UnitList } from './reference';
import { RulesEditor } from './rules';

export const ADMIN_SECTIONS = ['officers', 'rules', 'units', 'categories'] as const;
export type AdminSection = (typeof ADMIN_SECTIONS)[number];

/** The section in `#/admin/{section}`, or null outside the administration screens. */
export function routedAdminSection(hash: string): AdminSection | null {
  const section = /^#\/admin(?:\/(\w+))?$/.exec(hash)?.[1] ?? (hash === '#/admin' ? 'officers' : null);
  return (ADMIN_SECTIONS as readonly string[]).includes(section ?? '') ? (section as AdminSection) : null;
}

/** The link in the console's top bar; the console shows it to admins only. */
export function AdminNavLink() {
  return (
    <a class="ghost" href="#/admin/officers" id="admin-nav">
      {ta('admin.nav')}
    </a>
  );
}

/** The administration screens, one tab each, reachable by keyboard as plain links. */
export function AdminArea({ section }: { section: AdminSection }) {
  return (
    <div id="admin" class="admin">
      <nav class="admin-tabs" aria-label={ta('admin.title')}>
        <a href="#" class="ghost">
          {ta('admin.back')}
        </a>
        {ADMIN_SECTIONS.map((s) => (
          <a
            key={s}
            href={`#/admin/${s}`}
            id={`admin-tab-${s}`}
            aria-current={s === section ? 'page' : undefined}
            class={s === section ? 'current' : ''}
          >
            {ta(`admin.tab.${s}` as Key)}
          </a>
        ))}
      </nav>
      {section === 'officers' ? <Officers /> : null}
      {section === 'rules' ? <RulesEditor /> : null}
      {section === 'units' ? <UnitList /> : null}
      {section === 'categories' ? <CategoryList /> : null}
    </div>
  );
}
