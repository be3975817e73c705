import type { ComponentChildren, JSX } from 'preact';
import { useId, useState } from 'preact/hooks';
import {
  ApiError,
  officerApi,
  type ActionBody,
  type Contact,
  type Report,
  type TransitionAction,
  type Unit,
  type User,
} from './api/client';
import type { ConsoleAction } from './actions-list';
import { useConsole } from './context';
import { ProtectedImage } from './images';
import { stateLabel, t } from './i18n';

interface ActionProps {
  report: Report;
  replace(next: Report): void;
}

function allowed(report: Report, name: ConsoleAction): boolean {
  return report.allowedActions.includes(name);
}

export function Field({ label, children }: { label: string; children: (id: string) => JSX.Element }) {
  const id = useId();
  return (
    <div class="field">
      <label for={id}>{label}</label>
      {children(id)}
    </div>
  );
}

const TextArea =
  ({ name, required = false }: { name: string; required?: boolean }) =>
  (id: string) => <textarea id={id} name={name} required={required} maxLength={2000} />;

/**
 * One form per action; rare or drastic actions stay folded so the everyday one is the obvious
 * one. On a conflict the report is reloaded so the officer sees what changed.
 */
function ActionForm({
  name,
  title,
  collapsed = false,
  buttons,
  children,
  submit,
  report,
  replace,
}: ActionProps & {
  name: string;
  title: string;
  collapsed?: boolean;
  buttons: ComponentChildren;
  children?: ComponentChildren;
  /** Answers the message to show, or null for none. */
  submit(data: FormData, pressed: string): Promise<string | null>;
}) {
  const { flash, failed, reloadQueue } = useConsole();
  const [busy, setBusy] = useState(false);
  const onSubmit = async (event: SubmitEvent) => {
    event.preventDefault();
    const form = event.currentTarget as HTMLFormElement;
    const pressed = (event.submitter as HTMLButtonElement | null)?.value ?? '';
    setBusy(true);
    try {
      const message = await submit(new FormData(form), pressed);
      if (message) flash('success', message);
      reloadQueue();
    } catch (err) {
      failed(err);
      if (err instanceof ApiError && (err.code === 'STALE_VERSION' || err.code === 'ILLEGAL_TRANSITION')) {
        replace(await officerApi.report(report.id).catch(() => report));
        reloadQueue();
      }
    } finally {
      setBusy(false);
    }
  };
  const form = (
    <form class={collapsed ? '' : 'action'} data-action={name} noValidate onSubmit={onSubmit}>
      {collapsed ? null : <h3>{title}</h3>}
      {children}
      <fieldset class="buttons" disabled={busy}>
        {buttons}
      </fieldset>
    </form>
  );
  return collapsed ? (
    <details class="action">
      <summary>{title}</summary>
      {form}
    </details>
  ) : (
    form
  );
}

const UNIT_GROUPS: Array<[string, (u: Unit) => boolean]> = [
  ['OPD', (u) => !['suku_dinas', 'kota', 'kecamatan', 'kelurahan'].includes(u.kind)],
  ['Suku Dinas', (u) => u.kind === 'suku_dinas'],
  ['Kota', (u) => u.kind === 'kota'],
  ['Kecamatan', (u) => u.kind === 'kecamatan'],
  ['Kelurahan', (u) => u.kind === 'kelurahan'],
];

/** Several hundred units: grouped by level, each level sorted by name. */
export function UnitSelect({ id, filter = () => true }: { id: string; filter?: (u: Unit) => boolean }) {
  const { units } = useConsole();
  const candidates = units.filter(filter);
  return (
    <select id={id} name="unit" required>
      <option value="">{t('field.chooseUnit')}</option>
      {UNIT_GROUPS.map(([label, inGroup]) => {
        const members = candidates.filter(inGroup).sort((a, b) => a.name.localeCompare(b.name, 'id'));
        return members.length ? (
          <optgroup key={label} label={label}>
            {members.map((u) => (
              <option key={u.code} value={u.code}>{`${u.name} (${u.code})`}</option>
            ))}
          </optgroup>
        ) : null;
      })}
    </select>
  );
}

/** The categories of GET /categories but the report's own: choosing it again would change nothing. */
function CategorySelect({ id, current }: { id: string; current: string | null }) {
  const { categories } = useConsole();
  return (
    <select id={id} name="category" required>
      <option value="">{t('field.chooseCategory')}</option>
      {categories
        .filter((c) => c.name !== current)
        .map((c) => (
          <option key={c.name} value={c.name}>
            {c.name}
          </option>
        ))}
    </select>
  );
}

/** The officers a report (or a unit's part of one) may be given to, as field `officer`. */
export function OfficerSelect({ id, officers }: { id: string; officers: User[] }) {
  return (
    <select id={id} name="officer" required>
      <option value="">—</option>
      {officers.map((o) => (
        <option key={o.id} value={o.id}>{`${o.displayName} (${o.username})`}</option>
      ))}
    </select>
  );
}

/** The uploaded photos not yet used as proof, each ticked to go with the follow-up (field `evidence`). */
export function EvidencePicker({ photos, alt }: { photos: Report['evidence']; alt: string }) {
  return (
    <div class="photos">
      {photos.map((e, i) => (
        <div class="photo" key={e.id}>
          <ProtectedImage url={e.url} alt={`${alt} ${i + 1}`} />
          <label>
            <input type="checkbox" name="evidence" value={e.id} defaultChecked />
            {t('field.useEvidence')}
          </label>
        </div>
      ))}
    </div>
  );
}

const text = (data: FormData, name: string) => String(data.get(name) ?? '').trim();
const optional = (data: FormData, name: string) => text(data, name) || undefined;

export function Actions({ report, replace }: ActionProps) {
  const { officers, units } = useConsole();
  const r = report;
  const props = { report, replace };
  const act = async (action: TransitionAction | 'claim' | 'assign', body: ActionBody) => {
    const next = await officerApi.act(r.id, action, body, r.version);
    replace(next);
    return t('done.generic', { label: stateLabel(next.state, next.label) });
  };
  const current = units.find((u) => u.code === r.unit?.code);
  const candidates = officers.filter((o) => o.role === 'unit_officer' && o.unit?.code === r.unit?.code);
  const suggestions = (r.routing?.candidates ?? []).map((c) => c.opd).filter(Boolean);
  const unused = r.evidence.filter((e) => !e.usedInTransition);

  const forms = [
    allowed(r, 'claim') && !r.assignee ? (
      <ActionForm
        {...props}
        name="claim"
        title={t('action.claim')}
        buttons={
          <button type="submit" class="secondary">
            {t('action.claim')}
          </button>
        }
        submit={() => act('claim', {})}
      />
    ) : null,
    allowed(r, 'claim') && candidates.length ? (
      <ActionForm
        {...props}
        name="assign"
        title={t('action.assign')}
        collapsed
        buttons={
          <button type="submit" class="secondary">
            {t('action.assign')}
          </button>
        }
        submit={(data) => act('assign', { officer: text(data, 'officer') })}
      >
        <Field label={t('field.officer')}>{(id) => <OfficerSelect id={id} officers={candidates} />}</Field>
      </ActionForm>
    ) : null,
    allowed(r, 'route') ? (
      <ActionForm
        {...props}
        name="route"
        title={t('action.route')}
        buttons={<button type="submit">{t('action.route')}</button>}
        submit={(data) => act('route', { unit: text(data, 'unit'), note: optional(data, 'note') })}
      >
        <Field label={t('field.unit')}>{(id) => <UnitSelect id={id} />}</Field>
        {suggestions.length ? (
          <p class="hint">{`${t('detail.routing')}: ${suggestions.join(', ')}`}</p>
        ) : null}
        <Field label={t('field.note')}>{TextArea({ name: 'note' })}</Field>
      </ActionForm>
    ) : null,
    allowed(r, 'start') ? (
      <ActionForm
        {...props}
        name="start"
        title={t('action.start')}
        buttons={<button type="submit">{t('action.start')}</button>}
        submit={(data) => act('start', { note: optional(data, 'note') })}
      >
        <Field label={t('field.publicNote')}>{TextArea({ name: 'note' })}</Field>
      </ActionForm>
    ) : null,
    allowed(r, 'evidence') ? (
      <ActionForm
        {...props}
        name="evidence"
        title={t('action.evidence')}
        buttons={
          <button type="submit" class="secondary">
            {t('action.evidence')}
          </button>
        }
        submit={async (data) => {
          const file = data.get('file');
          if (!(file instanceof File) || !file.size) throw new ApiError(400, { code: 'FILE_REQUIRED' });
          await officerApi.upload(r.id, file);
          replace(await officerApi.report(r.id));
          return t('done.uploaded');
        }}
      >
        <Field label={t('field.photo')}>
          {(id) => (
            <input id={id} type="file" name="file" accept="image/jpeg,image/png,image/webp,image/heic" />
          )}
        </Field>
      </ActionForm>
    ) : null,
    allowed(r, 'follow-up') ? (
      <ActionForm
        {...props}
        name="follow-up"
        title={t('action.followUp')}
        buttons={<button type="submit">{t('action.followUp')}</button>}
        submit={(data) =>
          act('follow-up', { note: text(data, 'note'), evidence: data.getAll('evidence').map(String) })
        }
      >
        {unused.length ? (
          <EvidencePicker photos={unused} alt={t('track.evidence')} />
        ) : (
          <p class="hint">{t('error.evidenceRequired')}</p>
        )}
        <Field label={t('field.publicNote')}>{TextArea({ name: 'note', required: true })}</Field>
      </ActionForm>
    ) : null,
    allowed(r, 'validate') ? (
      <ActionForm
        {...props}
        name="validate"
        title={t('action.validate')}
        buttons={
          <>
            <button type="submit" class="ok" name="decision" value="accept">
              {t('action.accept')}
            </button>
            <button type="submit" class="danger" name="decision" value="refuse">
              {t('action.refuse')}
            </button>
          </>
        }
        submit={(data, decision) =>
          act(
            'validate',
            decision === 'refuse' ? { decision, reason: text(data, 'reason') } : { decision: 'accept' },
          )
        }
      >
        <Field label={t('field.reason')}>{TextArea({ name: 'reason' })}</Field>
      </ActionForm>
    ) : null,
    allowed(r, 'recategorise') ? (
      <ActionForm
        {...props}
        name="recategorise"
        title={t('action.recategorise')}
        collapsed
        buttons={
          <button type="submit" class="secondary">
            {t('action.recategorise')}
          </button>
        }
        submit={async (data) => {
          const body = { category: text(data, 'category'), reason: text(data, 'reason') };
          const next = await officerApi.recategorise(r.id, body, r.version);
          replace(next);
          return t('done.recategorised', { category: next.category ?? '–' });
        }}
      >
        <Field label={t('field.category')}>{(id) => <CategorySelect id={id} current={r.category} />}</Field>
        <Field label={t('field.internalReason')}>{TextArea({ name: 'reason', required: true })}</Field>
      </ActionForm>
    ) : null,
    allowed(r, 'coordinate') ? (
      <ActionForm
        {...props}
        name="coordinate"
        title={t('action.coordinate')}
        collapsed
        buttons={
          <button type="submit" class="secondary">
            {t('action.coordinate')}
          </button>
        }
        submit={(data) => act('coordinate', { unit: text(data, 'unit'), note: text(data, 'note') })}
      >
        <Field label={t('field.unit')}>
          {(id) => <UnitSelect id={id} filter={(u) => u.code !== r.unit?.code} />}
        </Field>
        <Field label={t('field.internalReason')}>{TextArea({ name: 'note', required: true })}</Field>
      </ActionForm>
    ) : null,
    allowed(r, 'dispose') ? (
      <ActionForm
        {...props}
        name="dispose"
        title={t('action.dispose')}
        collapsed
        buttons={
          <button type="submit" class="secondary">
            {t('action.dispose')}
          </button>
        }
        submit={(data) => act('dispose', { unit: text(data, 'unit'), note: optional(data, 'note') })}
      >
        <Field label={t('field.unit')}>
          {(id) => <UnitSelect id={id} filter={(u) => u.parent === (current?.code ?? r.unit?.code)} />}
        </Field>
        <Field label={t('field.note')}>{TextArea({ name: 'note' })}</Field>
      </ActionForm>
    ) : null,
    allowed(r, 'merge') ? (
      <ActionForm
        {...props}
        name="merge"
        title={t('action.merge')}
        collapsed
        buttons={
          <button type="submit" class="secondary">
            {t('action.merge')}
          </button>
        }
        submit={(data) => act('merge', { master: text(data, 'master') })}
      >
        <Field label={t('field.master')}>
          {(id) => <input id={id} type="text" name="master" required autocomplete="off" />}
        </Field>
      </ActionForm>
    ) : null,
    allowed(r, 'reject') ? (
      <ActionForm
        {...props}
        name="reject"
        title={t('action.reject')}
        collapsed
        buttons={
          <button type="submit" class="danger">
            {t('action.reject')}
          </button>
        }
        submit={(data) => act('reject', { reason: text(data, 'reason') })}
      >
        <Field label={t('field.publicReason')}>{TextArea({ name: 'reason', required: true })}</Field>
      </ActionForm>
    ) : null,
    allowed(r, 'reopen') ? (
      <ActionForm
        {...props}
        name="reopen"
        title={t('action.reopen')}
        collapsed
        buttons={
          <button type="submit" class="secondary">
            {t('action.reopen')}
          </button>
        }
        submit={(data) => act('reopen', { reason: text(data, 'reason') })}
      >
        <Field label={t('field.reason')}>{TextArea({ name: 'reason', required: true })}</Field>
      </ActionForm>
    ) : null,
    allowed(r, 'contact') ? <ContactForm {...props} /> : null,
    allowed(r, 'contact') ? <ApproveContactForm {...props} /> : null,
  ].filter(Boolean);

  return forms.length ? <div class="actions">{forms}</div> : <p class="hint">{t('detail.noActions')}</p>;
}

export function NoteForm(props: ActionProps) {
  const { report, replace } = props;
  if (!allowed(report, 'note')) return null;
  return (
    <ActionForm
      {...props}
      name="note"
      title={t('action.note')}
      buttons={
        <button type="submit" class="secondary">
          {t('action.note')}
        </button>
      }
      submit={async (data) => {
        await officerApi.note(report.id, text(data, 'text'));
        replace(await officerApi.report(report.id));
        return t('done.note');
      }}
    >
      <Field label={t('field.note')}>{TextArea({ name: 'text', required: true })}</Field>
    </ActionForm>
  );
}

const requestIdInput = (required: boolean) => (id: string) => (
  <input
    id={id}
    name="requestId"
    type="text"
    required={required}
    maxLength={36}
    autocomplete="off"
    spellcheck={false}
  />
);

/**
 * The reveal of ADR 0055: a reason opens a request; another officer approves it; the same form
 * with the request number then shows the contact, once, in this page only (never stored).
 */
function ContactForm(props: ActionProps) {
  const [contact, setContact] = useState<Contact | null>(null);
  return (
    <ActionForm
      {...props}
      name="contact"
      title={t('action.contact')}
      collapsed
      buttons={
        <button type="submit" class="secondary">
          {t('action.contact')}
        </button>
      }
      submit={async (data) => {
        const requestId = text(data, 'requestId');
        const answer = await officerApi.contact(
          props.report.id,
          text(data, 'reason'),
          requestId || undefined,
        );
        if ('status' in answer) return t('done.contactRequested', { id: answer.requestId });
        setContact(answer);
        return null;
      }}
    >
      <Field label={t('field.contactReason')}>{TextArea({ name: 'reason', required: true })}</Field>
      <Field label={t('field.contactRequest')}>{requestIdInput(false)}</Field>
      <div class="contact-out">
        {contact ? (
          <div class="contact">
            {[contact.name, contact.phone, contact.email, contact.handle].filter(Boolean).join(' · ') || '–'}
          </div>
        ) : null}
      </div>
    </ActionForm>
  );
}

function ApproveContactForm(props: ActionProps) {
  return (
    <ActionForm
      {...props}
      name="approve-contact"
      title={t('action.approveContact')}
      collapsed
      buttons={
        <button type="submit" class="secondary">
          {t('action.approveContact')}
        </button>
      }
      submit={async (data) => {
        await officerApi.approveContact(props.report.id, text(data, 'requestId'));
        return t('done.contactApproved');
      }}
    >
      <Field label={t('field.requestToApprove')}>{requestIdInput(true)}</Field>
    </ActionForm>
  );
}
