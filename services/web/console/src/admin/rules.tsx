import { useCallback, useEffect, useState } from 'preact/hooks';
import { ApiError } from '../api/client';
import { useConsole } from '../context';
import { formatTime } from '../i18n';
import {
  rulesApi,
  type Preview,
  type PreviewItem,
  type RoutingRule,
  type RuleSet,
  type RuleVersion,
} from './api';
import { ta } from './i18n';

const TARGETS: ReadonlyArray<RoutingRule['target']['kind']> = [
  'SUKU_DINAS',
  'OPD',
  'KELURAHAN',
  'KECAMATAN',
  'KOTA_ADM',
];
const PREVIEW_MAX = 500;

/** The draft as the admin typed it, or why it is not a list of rules yet. */
function parseDraft(text: string): { rules: unknown[] } | { problem: string } {
  try {
    const value: unknown = JSON.parse(text);
    return Array.isArray(value) ? { rules: value } : { problem: 'not a list [ … ]' };
  } catch (err) {
    return { problem: err instanceof Error ? err.message : String(err) };
  }
}

function unitCell(side: PreviewItem['before'] | PreviewItem['after']) {
  return (
    <>
      <span>{side.unit ? side.unit.name : ta('rules.triage')}</span>
      <small class="hint">{[side.unit?.code, side.rule].filter(Boolean).join(' · ')}</small>
    </>
  );
}

/**
 * The routing rules: the draft is edited as JSON (or a rule added by the form), previewed on the
 * last N reports the router routed, published as a new version; an earlier version is put back
 * by a rollback, which is a new version too (ADR 0075).
 */
export function RulesEditor() {
  const { categories, flash, failed } = useConsole();
  const [current, setCurrent] = useState<RuleSet | null>(null);
  const [versions, setVersions] = useState<RuleVersion[]>([]);
  const [draft, setDraft] = useState('');
  const [preview, setPreview] = useState<Preview | null>(null);
  const [onlyChanged, setOnlyChanged] = useState(true);
  const [limit, setLimit] = useState(100);
  const [note, setNote] = useState('');
  const [off, setOff] = useState(false);
  const [busy, setBusy] = useState(false);

  const refusal = useCallback(
    (err: unknown) => {
      if (err instanceof ApiError && err.status === 503) setOff(true);
      else if (err instanceof ApiError && err.status === 409) flash('error', ta('rules.stale'));
      else failed(err);
    },
    [flash, failed],
  );

  const load = useCallback(async () => {
    try {
      const [rules, history] = await Promise.all([rulesApi.current(), rulesApi.versions()]);
      setCurrent(rules);
      setVersions(history.items);
      setDraft(JSON.stringify(rules.rules, null, 2));
      setPreview(null);
    } catch (err) {
      refusal(err);
    }
  }, [refusal]);
  useEffect(() => void load(), [load]);

  const draftRules = (): unknown[] | null => {
    const parsed = parseDraft(draft);
    if ('problem' in parsed) {
      flash('error', ta('rules.badJson', { why: parsed.problem }));
      return null;
    }
    return parsed.rules;
  };

  const addRule = (event: SubmitEvent) => {
    event.preventDefault();
    const rules = draftRules();
    if (!rules) return;
    const form = event.currentTarget as HTMLFormElement;
    const data = new FormData(form);
    const kind = String(data.get('kind')) as RoutingRule['target']['kind'];
    const opd = String(data.get('opd') ?? '').trim();
    const kota = String(data.get('kotaKode') ?? '').trim();
    const rule: RoutingRule = {
      id: String(data.get('id') ?? '').trim(),
      match: { category: String(data.get('category')), ...(kota ? { kotaKode: kota } : {}) },
      target: kind === 'OPD' || kind === 'SUKU_DINAS' ? { kind, opd } : { kind },
      priority: Number(data.get('priority')),
    };
    setDraft(JSON.stringify([...rules, rule], null, 2));
    setPreview(null);
    form.reset();
    flash('success', ta('rules.added', { id: rule.id }));
  };

  const runPreview = async () => {
    const rules = draftRules();
    if (!rules) return;
    setBusy(true);
    try {
      setPreview(await rulesApi.preview(rules, limit));
    } catch (err) {
      refusal(err);
    } finally {
      setBusy(false);
    }
  };

  const publish = async () => {
    const rules = draftRules();
    if (!rules || !current) return;
    setBusy(true);
    try {
      const saved = await rulesApi.publish(rules, current.version, note.trim());
      setNote('');
      await load();
      flash('success', ta('rules.published', { version: saved.version }));
    } catch (err) {
      refusal(err);
    } finally {
      setBusy(false);
    }
  };

  const rollback = async (version: number) => {
    if (!current || !window.confirm(ta('rules.confirmRollback', { version }))) return;
    try {
      const saved = await rulesApi.rollback(version, current.version);
      await load();
      flash('success', ta('rules.rolledBack', { from: version, version: saved.version }));
    } catch (err) {
      refusal(err);
    }
  };

  if (off)
    return (
      <section class="card admin-section">
        <h2>{ta('rules.title')}</h2>
        <p class="empty">{ta('rules.off')}</p>
      </section>
    );

  const shown = preview ? preview.items.filter((i) => !onlyChanged || i.changed) : [];
  return (
    <section class="card admin-section" aria-labelledby="rules-title" id="rules-editor">
      <h2 id="rules-title">{ta('rules.title')}</h2>
      {current ? <p id="rules-version">{ta('rules.current', { version: current.version })}</p> : null}

      <div class="rules-layout">
        <div>
          <div class="field">
            <label for="rules-draft">{ta('rules.draft')}</label>
            <textarea
              id="rules-draft"
              class="rules-draft"
              spellcheck={false}
              rows={16}
              value={draft}
              aria-describedby="rules-draft-hint"
              onInput={(e) => {
                setDraft((e.currentTarget as HTMLTextAreaElement).value);
                setPreview(null);
              }}
            />
            <p class="hint" id="rules-draft-hint">
              {ta('rules.draftHint')}
            </p>
          </div>
          <button type="button" class="secondary" onClick={() => void load()}>
            {ta('rules.reload')}
          </button>
        </div>

        <form id="add-rule" class="admin-form" onSubmit={addRule}>
          <h3>{ta('rules.add')}</h3>
          <div class="field">
            <label for="rule-id">{ta('rules.id')}</label>
            <input id="rule-id" name="id" required maxLength={100} />
          </div>
          <div class="field">
            <label for="rule-category">{ta('rules.category')}</label>
            <select id="rule-category" name="category" required>
              {categories.map((c) => (
                <option key={c.name} value={c.name}>
                  {c.name}
                </option>
              ))}
            </select>
          </div>
          <div class="field">
            <label for="rule-kota">{ta('rules.kota')}</label>
            <input id="rule-kota" name="kotaKode" placeholder="31.71" pattern="[0-9.]+" />
          </div>
          <div class="field">
            <label for="rule-kind">{ta('rules.target')}</label>
            <select id="rule-kind" name="kind">
              {TARGETS.map((k) => (
                <option key={k} value={k}>
                  {k}
                </option>
              ))}
            </select>
          </div>
          <div class="field">
            <label for="rule-opd">{ta('rules.opd')}</label>
            <input id="rule-opd" name="opd" placeholder="DBM" />
          </div>
          <div class="field">
            <label for="rule-priority">{ta('rules.priority')}</label>
            <input id="rule-priority" name="priority" type="number" defaultValue="200" required />
          </div>
          <button type="submit">{ta('rules.add')}</button>
        </form>
      </div>

      <div class="rules-actions">
        <div class="field">
          <label for="preview-limit">{ta('rules.previewN')}</label>
          <input
            id="preview-limit"
            type="number"
            min={1}
            max={PREVIEW_MAX}
            value={limit}
            onInput={(e) =>
              setLimit(
                Math.min(PREVIEW_MAX, Math.max(1, Number((e.currentTarget as HTMLInputElement).value) || 1)),
              )
            }
          />
        </div>
        <button type="button" id="preview-rules" disabled={busy} onClick={() => void runPreview()}>
          {ta('rules.preview')}
        </button>
      </div>

      {preview ? (
        <div id="rules-preview" aria-live="polite">
          <p id="preview-summary">
            {preview.considered
              ? ta('rules.previewSummary', { changed: preview.changed, considered: preview.considered })
              : ta('rules.previewEmpty')}
          </p>
          <label class="check">
            <input
              type="checkbox"
              checked={onlyChanged}
              onChange={(e) => setOnlyChanged((e.currentTarget as HTMLInputElement).checked)}
            />{' '}
            {ta('rules.onlyChanged')}
          </label>
          <div class="admin-table-wrap">
            <table class="admin-table">
              <thead>
                <tr>
                  <th scope="col">{ta('rules.col.code')}</th>
                  <th scope="col">{ta('rules.col.received')}</th>
                  <th scope="col">{ta('rules.col.category')}</th>
                  <th scope="col">{ta('rules.col.area')}</th>
                  <th scope="col">{ta('rules.col.before')}</th>
                  <th scope="col">{ta('rules.col.after')}</th>
                </tr>
              </thead>
              <tbody>
                {shown.map((i) => (
                  <tr key={i.trackingCode} data-code={i.trackingCode} class={i.changed ? 'changed' : ''}>
                    <td class="code">{i.trackingCode}</td>
                    <td>{formatTime(i.receivedAt)}</td>
                    <td>{i.category ?? '–'}</td>
                    <td>{i.kelurahan?.nama ?? '–'}</td>
                    <td>{unitCell(i.before)}</td>
                    <td>{unitCell(i.after)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <div class="rules-actions">
            <div class="field">
              <label for="rules-note">{ta('rules.note')}</label>
              <input
                id="rules-note"
                maxLength={500}
                value={note}
                onInput={(e) => setNote((e.currentTarget as HTMLInputElement).value)}
              />
            </div>
            <button type="button" id="publish-rules" disabled={busy} onClick={() => void publish()}>
              {ta('rules.publish')}
            </button>
          </div>
        </div>
      ) : null}

      <h3>{ta('rules.versions')}</h3>
      <ol class="rule-versions" id="rule-versions">
        {versions.map((v) => (
          <li key={v.version} data-version={v.version}>
            <strong>{ta('rules.version', { version: v.version })}</strong> · {formatTime(v.createdAt)} ·{' '}
            {ta('rules.by', { who: v.createdBy })} · {ta('rules.ruleCount', { n: v.ruleCount })}
            {v.note ? ` · ${v.note}` : ''}
            {current && v.version !== current.version ? (
              <>
                {' '}
                <button type="button" class="secondary" onClick={() => void rollback(v.version)}>
                  {ta('rules.rollback')}
                </button>
              </>
            ) : null}
          </li>
        ))}
      </ol>
    </section>
  );
}
