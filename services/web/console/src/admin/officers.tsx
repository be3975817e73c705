import { useCallback, useEffect, useState } from 'preact/hooks';
import { officerApi, type Role, type Unit, type User } from '../api/client';
import { useConsole } from '../context';
import { formatTime, t } from '../i18n';
import { accountsApi, type OfficerChange } from './api';
import { ta } from './i18n';

const ROLES: readonly Role[] = ['admin', 'crm_officer', 'unit_officer', 'validator'];

function UnitSelect({ id, name, units, value }: { id: string; name: string; units: Unit[]; value: string }) {
  return (
    <select id={id} name={name} value={value}>
      <option value="">{ta('officers.noUnit')}</option>
      {units.map((u) => (
        <option key={u.code} value={u.code}>{`${u.code} · ${u.name}`}</option>
      ))}
    </select>
  );
}

function RoleSelect({ id, name, value }: { id: string; name: string; value: Role }) {
  return (
    <select id={id} name={name} value={value}>
      {ROLES.map((r) => (
        <option key={r} value={r}>
          {t(`role.${r}`)}
        </option>
      ))}
    </select>
  );
}

/** Officer accounts: create, change role, unit and capacity, reset the password, disable and enable. */
export function Officers() {
  const { user: me, units, flash, failed } = useConsole();
  const [accounts, setAccounts] = useState<User[]>([]);
  const [editing, setEditing] = useState<string | null>(null);
  const [oneTime, setOneTime] = useState<string | null>(null);

  const load = useCallback(() => {
    officerApi
      .users()
      .then((answer) => setAccounts(answer.items))
      .catch(failed);
  }, [failed]);
  useEffect(load, [load]);

  const create = async (event: SubmitEvent) => {
    event.preventDefault();
    const form = event.currentTarget as HTMLFormElement;
    const data = new FormData(form);
    const unit = String(data.get('unit') ?? '');
    const capacity = String(data.get('capacity') ?? '');
    try {
      const created = await accountsApi.create({
        username: String(data.get('username') ?? '').trim(),
        password: String(data.get('password') ?? ''),
        displayName: String(data.get('displayName') ?? '').trim(),
        role: String(data.get('role')) as Role,
        ...(unit ? { unit } : {}),
        ...(capacity ? { capacity: Number(capacity) } : {}),
      });
      form.reset();
      flash('success', ta('officers.created', { name: created.username }));
      load();
    } catch (err) {
      failed(err);
    }
  };

  const save = async (account: User, event: SubmitEvent) => {
    event.preventDefault();
    const data = new FormData(event.currentTarget as HTMLFormElement);
    const change: OfficerChange = {
      displayName: String(data.get('displayName') ?? '').trim(),
      role: String(data.get('role')) as Role,
      unit: String(data.get('unit') ?? '') || null,
      capacity: Number(data.get('capacity')),
    };
    try {
      const saved = await accountsApi.update(account.id, change);
      const moved = saved.role !== account.role || saved.unit?.code !== account.unit?.code;
      flash('success', ta(moved ? 'officers.savedSessions' : 'officers.saved', { name: saved.username }));
      setEditing(null);
      load();
    } catch (err) {
      failed(err);
    }
  };

  const toggle = async (account: User) => {
    if (!account.disabled && !window.confirm(ta('officers.confirmDisable', { name: account.username })))
      return;
    try {
      await (account.disabled ? accountsApi.enable(account.id) : accountsApi.disable(account.id));
      flash(
        'success',
        ta(account.disabled ? 'officers.enabledDone' : 'officers.disabledDone', { name: account.username }),
      );
      load();
    } catch (err) {
      failed(err);
    }
  };

  const reset = async (account: User) => {
    if (!window.confirm(ta('officers.confirmReset', { name: account.username }))) return;
    try {
      const answer = await accountsApi.resetPassword(account.id);
      // Shown here once, not as a passing message: the admin hands it over, then it is gone.
      setOneTime(
        ta('officers.oneTime', {
          name: account.username,
          password: answer.oneTimePassword,
          until: formatTime(answer.validUntil),
        }),
      );
      load();
    } catch (err) {
      failed(err);
    }
  };

  return (
    <section class="card admin-section" aria-labelledby="officers-title">
      <h2 id="officers-title">{ta('officers.title')}</h2>
      {oneTime ? (
        <p class="message success one-time" id="one-time-password" role="status">
          {oneTime}{' '}
          <button type="button" class="secondary" onClick={() => setOneTime(null)}>
            {ta('officers.cancel')}
          </button>
        </p>
      ) : null}
      <div class="admin-table-wrap">
        <table class="admin-table" id="officers">
          <thead>
            <tr>
              <th scope="col">{ta('officers.username')}</th>
              <th scope="col">{ta('officers.displayName')}</th>
              <th scope="col">{ta('officers.role')}</th>
              <th scope="col">{ta('officers.unit')}</th>
              <th scope="col">{ta('officers.capacity')}</th>
              <th scope="col">{ta('officers.status')}</th>
              <th scope="col">{ta('officers.actions')}</th>
            </tr>
          </thead>
          <tbody>
            {accounts.map((a) =>
              editing === a.id ? (
                <tr key={a.id} data-officer={a.username}>
                  <td colSpan={7}>
                    <form class="admin-inline" onSubmit={(e) => save(a, e)} aria-label={ta('officers.edit')}>
                      <strong>{a.username}</strong>
                      <label>
                        {ta('officers.displayName')}
                        <input name="displayName" defaultValue={a.displayName} required maxLength={200} />
                      </label>
                      <label>
                        {ta('officers.role')}
                        <RoleSelect id={`role-${a.id}`} name="role" value={a.role} />
                      </label>
                      <label>
                        {ta('officers.unit')}
                        <UnitSelect
                          id={`unit-${a.id}`}
                          name="unit"
                          units={units}
                          value={a.unit?.code ?? ''}
                        />
                      </label>
                      <label>
                        {ta('officers.capacity')}
                        <input
                          name="capacity"
                          type="number"
                          min={0}
                          max={1000}
                          defaultValue={String(a.capacity)}
                          required
                        />
                      </label>
                      <button type="submit">{ta('officers.save')}</button>
                      <button type="button" class="secondary" onClick={() => setEditing(null)}>
                        {ta('officers.cancel')}
                      </button>
                    </form>
                  </td>
                </tr>
              ) : (
                <tr key={a.id} data-officer={a.username} class={a.disabled ? 'disabled' : ''}>
                  <td>{a.username}</td>
                  <td>{a.displayName}</td>
                  <td>{t(`role.${a.role}`)}</td>
                  <td>{a.unit ? `${a.unit.code} · ${a.unit.name}` : '–'}</td>
                  <td>{a.capacity}</td>
                  <td>
                    {a.disabled
                      ? ta('officers.disabled')
                      : a.mustChangePassword
                        ? ta('officers.mustChange')
                        : ta('officers.active')}
                  </td>
                  <td class="admin-actions">
                    <button type="button" class="secondary" onClick={() => setEditing(a.id)}>
                      {ta('officers.edit')}
                    </button>
                    {a.id === me.id ? null : (
                      <>
                        <button type="button" class="secondary" onClick={() => reset(a)}>
                          {ta('officers.reset')}
                        </button>
                        <button type="button" class="secondary" onClick={() => toggle(a)}>
                          {a.disabled ? ta('officers.enable') : ta('officers.disable')}
                        </button>
                      </>
                    )}
                  </td>
                </tr>
              ),
            )}
          </tbody>
        </table>
      </div>

      <h3>{ta('officers.createTitle')}</h3>
      <form id="create-officer" class="admin-form" onSubmit={create}>
        <div class="field">
          <label for="new-username">{ta('officers.username')}</label>
          <input id="new-username" name="username" required maxLength={64} pattern="[A-Za-z0-9._\-]+" />
        </div>
        <div class="field">
          <label for="new-display-name">{ta('officers.displayName')}</label>
          <input id="new-display-name" name="displayName" required maxLength={200} />
        </div>
        <div class="field">
          <label for="new-password">{ta('officers.password')}</label>
          <input
            id="new-password"
            name="password"
            type="password"
            autocomplete="new-password"
            required
            minLength={10}
          />
        </div>
        <div class="field">
          <label for="new-role">{ta('officers.role')}</label>
          <RoleSelect id="new-role" name="role" value="unit_officer" />
        </div>
        <div class="field">
          <label for="new-unit">{ta('officers.unit')}</label>
          <UnitSelect id="new-unit" name="unit" units={units} value="" />
        </div>
        <div class="field">
          <label for="new-capacity">{ta('officers.capacity')}</label>
          <input id="new-capacity" name="capacity" type="number" min={0} max={1000} defaultValue="10" />
        </div>
        <button type="submit">{ta('officers.create')}</button>
      </form>
    </section>
  );
}
