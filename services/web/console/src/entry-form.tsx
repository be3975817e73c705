import type { ComponentChildren, RefObject } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import type { Problem, Role } from './api/client';
import { ApiError } from './api/client';
import { useConsole } from './context';
import { ENTRY_KINDS, entryApi, type EntryBody, type EntryKind, type Entered } from './entry-api';
import { te, type EntryKey } from './entry-i18n';
import { explain } from './explain';
import { channelLabel } from './i18n';

/** The address of the form in the console: `#/laporan-baru`. */
export const ENTRY_ROUTE = '#/laporan-baru';
/** Who may enter reports: channel-officer refuses everyone else with 403. */
export const mayEnterReports = (role: Role): boolean => role === 'crm_officer' || role === 'admin';
/** As many as channel-officer takes on one entry. */
const MAX_PHOTOS = 5;

interface Photo {
  /** Names the photo in the list before channel-officer has given it an id. */
  key: string;
  name: string;
  /** A blob: URL of the officer's own file, for the thumbnail. */
  preview: string;
  /** The id channel-officer answered once it kept the photo; null while it uploads. */
  id: string | null;
}

/** "-6.1936, 106.8467" as a point; null when it is not one, undefined when left empty. */
export function readPoint(text: string): { lat: number; lon: number } | null | undefined {
  const given = text.trim();
  if (!given) return undefined;
  const match = /^(-?\d{1,2}(?:\.\d+)?)\s*[,;\s]\s*(-?\d{1,3}(?:\.\d+)?)$/.exec(given);
  if (!match) return null;
  const [lat, lon] = [Number(match[1]), Number(match[2])];
  return Math.abs(lat) <= 90 && Math.abs(lon) <= 180 ? { lat, lon } : null;
}

const REFUSALS = new Set<string>([
  'entry.photo.refused.empty',
  'entry.photo.refused.too-large',
  'entry.photo.refused.unknown-type',
  'entry.photo.refused.type-not-allowed',
  'entry.photo.refused.too-many-pixels',
  'entry.photo.refused.undecodable',
]);
const isRefusal = (key: string): key is EntryKey => REFUSALS.has(key);

/** A photo channel-officer refused, in the officer's words; anything else as the console says it. */
function photoRefusal(name: string, err: unknown): string {
  const problem = err instanceof ApiError ? (err.body as Problem & { problem?: string }).problem : undefined;
  const key = `entry.photo.refused.${problem ?? ''}`;
  if (isRefusal(key)) return te(key, { name });
  if (err instanceof ApiError && err.status === 413) return te('entry.photo.refused.too-large', { name });
  return `${name}: ${entryProblem(err)}`;
}

function entryProblem(err: unknown): string {
  if (err instanceof ApiError && err.code === 'OFFICER_ENTRY_OFF') return te('entry.off');
  if (err instanceof ApiError && err.status === 409) return te('entry.conflict');
  return explain(err);
}

function text(form: FormData, name: string): string | undefined {
  const value = String(form.get(name) ?? '').trim();
  return value || undefined;
}

/**
 * "Laporan baru": a letter, walk-in, phone call or media item entered on a citizen's behalf.
 * Photos go to channel-officer as they are chosen, so a refused one is named beside the field
 * before the report is sent; the report then names them by id. The form keeps one
 * Idempotency-Key until the report is saved: sent twice, it is still one report.
 */
export function EntryForm() {
  const { categories, flash, failed, reloadQueue } = useConsole();
  const [kind, setKind] = useState<EntryKind>('walk_in');
  const [photos, setPhotos] = useState<Photo[]>([]);
  const [photoProblem, setPhotoProblem] = useState<string | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [entered, setEntered] = useState<Entered | null>(null);
  const key = useRef(crypto.randomUUID());
  const heading = useRef<HTMLHeadingElement>(null);

  useEffect(() => heading.current?.focus(), [entered]);
  // Previews are blob: URLs of the officer's own files: freed when they leave the form.
  const previews = useRef(new Set<string>());
  useEffect(() => () => previews.current.forEach((url) => URL.revokeObjectURL(url)), []);

  const addPhotos = async (files: FileList | null) => {
    setPhotoProblem(null);
    const chosen = [...(files ?? [])];
    if (photos.length + chosen.length > MAX_PHOTOS) {
      setPhotoProblem(te('entry.photo.tooMany', { n: MAX_PHOTOS }));
      return;
    }
    for (const file of chosen) {
      const preview = URL.createObjectURL(file);
      previews.current.add(preview);
      const pending: Photo = { key: preview, name: file.name, preview, id: null };
      setPhotos((list) => [...list, pending]);
      try {
        const { photo } = await entryApi.photo(file);
        setPhotos((list) => list.map((p) => (p.key === pending.key ? { ...p, id: photo } : p)));
      } catch (err) {
        setPhotos((list) => list.filter((p) => p.key !== pending.key));
        URL.revokeObjectURL(preview);
        previews.current.delete(preview);
        if (err instanceof ApiError && err.status === 401) return failed(err);
        setPhotoProblem(photoRefusal(file.name, err));
      }
    }
  };

  const removePhoto = (photo: Photo) => {
    setPhotos((list) => list.filter((p) => p.key !== photo.key));
    URL.revokeObjectURL(photo.preview);
    previews.current.delete(photo.preview);
  };

  const submit = async (event: SubmitEvent) => {
    event.preventDefault();
    if (busy) return;
    const form = new FormData(event.currentTarget as HTMLFormElement);
    const body = text(form, 'text');
    if (!body) return setProblem(te('entry.textRequired'));
    if (photos.some((p) => !p.id)) return setProblem(te('entry.waitPhoto'));
    const point = readPoint(String(form.get('point') ?? ''));
    if (point === null) return setProblem(te('entry.point.invalid'));
    const anonymous = form.get('anonymous') === 'on';
    const contact = {
      ...(anonymous ? {} : { name: text(form, 'name') }),
      phone: text(form, 'phone'),
      email: text(form, 'email'),
    };
    const given = Object.fromEntries(Object.entries(contact).filter(([, v]) => v));
    const entry: EntryBody = {
      channel: kind,
      text: body,
      subject: text(form, 'subject'),
      reference: text(form, 'reference'),
      category: text(form, 'category'),
      place: text(form, 'place'),
      ...(point ? { location: point } : {}),
      ...(Object.keys(given).length ? { contact: given } : {}),
      anonymous,
      ...(photos.length ? { photos: photos.map((p) => p.id!) } : {}),
    };
    setProblem(null);
    setBusy(true);
    try {
      const saved = await entryApi.enter(entry, key.current);
      setEntered(saved);
      reloadQueue();
    } catch (err) {
      if (err instanceof ApiError && err.status === 401) failed(err);
      else setProblem(entryProblem(err));
    } finally {
      setBusy(false);
    }
  };

  const again = () => {
    key.current = crypto.randomUUID();
    photos.forEach((p) => URL.revokeObjectURL(p.preview));
    previews.current.clear();
    setPhotos([]);
    setPhotoProblem(null);
    setProblem(null);
    setEntered(null);
    flash('success', '');
  };

  if (entered) return <EnteredCard entered={entered} again={again} heading={heading} />;

  const referenceKey: EntryKey =
    kind === 'letter'
      ? 'entry.reference.letter'
      : kind === 'media'
        ? 'entry.reference.media'
        : 'entry.reference.other';
  return (
    <section class="card" id="entry" data-testid="entry-form" aria-labelledby="entry-title">
      <h1 id="entry-title" tabIndex={-1} ref={heading}>
        {te('entry.title')}
      </h1>
      <p class="hint">{te('entry.intro')}</p>
      <form noValidate onSubmit={submit} data-testid="entry">
        <fieldset class="field">
          <legend>{te('entry.kind')}</legend>
          <div class="row">
            {ENTRY_KINDS.map((k) => (
              <label class="check" key={k}>
                <input type="radio" name="kind" value={k} checked={kind === k} onChange={() => setKind(k)} />
                {channelLabel(k)}
              </label>
            ))}
          </div>
        </fieldset>
        <Labelled id="entry-text" label={te('entry.text')}>
          <textarea id="entry-text" name="text" required maxLength={20000} rows={5} />
        </Labelled>
        <div class="row">
          <Labelled id="entry-subject" label={te('entry.subject')} grow>
            <input id="entry-subject" name="subject" type="text" maxLength={500} />
          </Labelled>
          <Labelled id="entry-reference" label={te(referenceKey)} grow>
            <input
              id="entry-reference"
              name="reference"
              type="text"
              maxLength={500}
              inputMode={kind === 'media' ? 'url' : 'text'}
            />
          </Labelled>
        </div>
        <div class="row">
          <Labelled id="entry-category" label={te('entry.category')} grow>
            <select id="entry-category" name="category">
              <option value="">{te('entry.category.auto')}</option>
              {categories.map((c) => (
                <option key={c.name} value={c.name}>
                  {c.name}
                </option>
              ))}
            </select>
          </Labelled>
          <Labelled id="entry-place" label={te('entry.place')} grow>
            <input id="entry-place" name="place" type="text" maxLength={200} />
          </Labelled>
          <Labelled id="entry-point" label={te('entry.point')} hint={te('entry.point.hint')} grow>
            <input id="entry-point" name="point" type="text" inputMode="decimal" autoComplete="off" />
          </Labelled>
        </div>
        <fieldset class="field">
          <legend>{te('entry.contact')}</legend>
          <p class="hint">{te('entry.contact.hint')}</p>
          <div class="row">
            <Labelled id="entry-name" label={te('entry.name')} grow>
              <input id="entry-name" name="name" type="text" maxLength={200} autoComplete="off" />
            </Labelled>
            <Labelled id="entry-phone" label={te('entry.phone')} grow>
              <input
                id="entry-phone"
                name="phone"
                type="text"
                inputMode="tel"
                maxLength={40}
                autoComplete="off"
              />
            </Labelled>
            <Labelled id="entry-email" label={te('entry.email')} grow>
              <input
                id="entry-email"
                name="email"
                type="text"
                inputMode="email"
                maxLength={320}
                autoComplete="off"
              />
            </Labelled>
          </div>
          <label class="check">
            <input type="checkbox" name="anonymous" />
            {te('entry.anonymous')}
          </label>
        </fieldset>
        <Labelled id="entry-photo" label={te('entry.photo')} hint={te('entry.photo.hint')}>
          <input
            id="entry-photo"
            type="file"
            accept="image/jpeg,image/png,image/webp"
            multiple
            disabled={photos.length >= MAX_PHOTOS}
            onChange={(e) => {
              const input = e.currentTarget;
              void addPhotos(input.files).finally(() => (input.value = ''));
            }}
          />
        </Labelled>
        {photoProblem ? (
          <p class="message error" role="alert" data-testid="entry-photo-problem">
            {photoProblem}
          </p>
        ) : null}
        {photos.length ? (
          <div class="photos" data-testid="entry-photos">
            {photos.map((p, i) => (
              <div class="photo" key={p.key} data-ready={p.id ? 'yes' : 'no'}>
                <img src={p.preview} alt={te('entry.photo.ready', { n: i + 1 })} />
                {p.id ? (
                  <button type="button" class="secondary" onClick={() => removePhoto(p)}>
                    {te('entry.photo.remove', { n: i + 1 })}
                  </button>
                ) : (
                  <p class="hint">{te('entry.photo.uploading', { name: p.name })}</p>
                )}
              </div>
            ))}
          </div>
        ) : null}
        {problem ? (
          <p class="message error" role="alert" data-testid="entry-problem">
            {problem}
          </p>
        ) : null}
        <fieldset class="buttons" disabled={busy}>
          <button type="submit">{busy ? te('entry.sending') : te('entry.submit')}</button>
        </fieldset>
      </form>
    </section>
  );
}

function Labelled({
  id,
  label,
  hint,
  grow = false,
  children,
}: {
  id: string;
  label: string;
  hint?: string;
  grow?: boolean;
  children: ComponentChildren;
}) {
  return (
    <div class={grow ? 'field grow' : 'field'}>
      <label for={id}>{label}</label>
      {children}
      {hint ? <p class="hint">{hint}</p> : null}
    </div>
  );
}

function EnteredCard({
  entered,
  again,
  heading,
}: {
  entered: Entered;
  again(): void;
  heading: RefObject<HTMLHeadingElement | null>;
}) {
  return (
    <section class="card" id="entry" data-testid="entry-done" aria-labelledby="entry-title">
      <h1 id="entry-title" tabIndex={-1} ref={heading}>
        {te('entry.done.title')}
      </h1>
      <p>
        {te('entry.done.code')}:{' '}
        <strong class="code" data-testid="entry-code">
          {entered.trackingCode}
        </strong>
      </p>
      <p class="message info" data-testid="entry-ack" data-acknowledgement={entered.acknowledgement}>
        {te(`entry.ack.${entered.acknowledgement}`)}
      </p>
      <div class="row">
        <a class="button" href={`#/reports/${entered.reportId}`}>
          {te('entry.open')}
        </a>
        <button type="button" class="secondary" onClick={again}>
          {te('entry.another')}
        </button>
      </div>
    </section>
  );
}
