import type { ComponentChildren, JSX } from 'preact';
import { useCallback, useEffect, useState } from 'preact/hooks';
import { officerApi, type Report } from './api/client';
import { Actions, NoteForm } from './actions';
import { useConsole } from './context';
import { ContactReporter, conversationItems, useAnswerWatch } from './conversation';
import { ProtectedImage } from './images';
import { channelLabel, formatTime, stateLabel, t, type Key } from './i18n';
import { LocationMap } from './map';
import { DueChip } from './queue';
import { Tasks } from './tasks';
import { tt } from './i18n-tasks';

export function Section({ title, children }: { title: string; children: ComponentChildren }) {
  return (
    <section class="card">
      <h2>{title}</h2>
      {children}
    </section>
  );
}

/** One report: loaded when opened, replaced by what every action answers. */
export function Detail({ id }: { id: string }) {
  const { failed } = useConsole();
  const [report, setReport] = useState<Report | null>(null);
  // Bumped after each action: the forms start empty again, as after a fresh load.
  const [generation, setGeneration] = useState(0);

  useEffect(() => {
    let current = true;
    officerApi
      .report(id)
      .then((r) => current && setReport(r))
      .catch((err: unknown) => current && failed(err));
    return () => {
      current = false;
    };
  }, [id, failed]);

  const replace = useCallback((next: Report) => {
    setReport(next);
    setGeneration((g) => g + 1);
  }, []);
  useAnswerWatch(report, setReport);

  if (!report)
    return (
      <div class="card">
        <p class="empty">{t('detail.pick')}</p>
      </div>
    );
  return (
    <>
      <Head report={report} />
      <Section title={t('detail.actions')}>
        <Actions key={generation} report={report} replace={replace} />
      </Section>
      <ContactReporter report={report} update={setReport} />
      {report.tasks.length || report.allowedActions.includes('coordinate-parallel') ? (
        <Section title={tt('tasks.title')}>
          <Tasks key={generation} report={report} replace={replace} />
        </Section>
      ) : null}
      <div class="sections">
        <Section title={t('detail.map')}>
          <LocationMap area={report.area} location={report.location} />
        </Section>
        <Photos report={report} />
      </div>
      <Section title={t('detail.evidence')}>
        <EvidenceGallery report={report} />
      </Section>
      {report.followUps.length ? (
        <Section title={t('detail.followUps')}>
          <FollowUps report={report} />
        </Section>
      ) : null}
      <div class="sections">
        <Section title={t('detail.timeline')}>
          <Timeline report={report} />
        </Section>
        <Section title={t('detail.notes')}>
          <Notes report={report} />
          <NoteForm key={generation} report={report} replace={replace} />
        </Section>
      </div>
    </>
  );
}

function Head({ report: r }: { report: Report }) {
  const facts: Array<[Key, string]> = [
    ['track.category', r.category ?? '–'],
    ['track.unit', r.unit ? `${r.unit.name} (${r.unit.code})` : '–'],
    ['track.area', r.area ? `${r.area.kelurahan.nama}, ${r.area.kecamatan.nama}, ${r.area.kota.nama}` : '–'],
    ['track.received', formatTime(r.receivedAt)],
    ['track.channel', channelLabel(r.channel, r.channelLabel)],
    ['detail.reporter', r.reporter.pseudonym ?? '–'],
    ['detail.assignee', r.assignee?.displayName ?? t('detail.nobody')],
    ['detail.followers', String(r.followers)],
  ];
  const flagged = r.evidence.some((e) => e.flags.length);
  return (
    <section class="card" data-testid="detail">
      <a class="back-link" href="#/">
        {t('detail.back')}
      </a>
      <div class="report-head">
        <div>
          <h1 class="code">{r.trackingCode}</h1>
          <div class="hint">{`${t('detail.version')} ${r.version}`}</div>
        </div>
        <span class={`badge lg state-${r.state}`} data-testid="detail-state">
          {stateLabel(r.state, r.label)}
        </span>
      </div>
      {flagged ? <p class="message error">{t('flags.warning')}</p> : null}
      {r.deliveries
        .filter((d) => d.status === 'failed')
        .map((d, i) => (
          <p key={i} class="message error" data-testid="delivery-failed">
            {t('delivery.failed', { kind: deliveryKind(d.kind), reason: d.reason ?? '–' })}
          </p>
        ))}
      <dl class="facts">
        {facts.map(([key, value]) => (
          <div key={key}>
            <dt>{t(key)}</dt>
            <dd>{value}</dd>
          </div>
        ))}
      </dl>
      {r.text ? <p class="description">{r.text}</p> : null}
      {r.sla.length ? (
        <div class="chips row">
          {/* A unit's part shows its own clock in the part table (ADR 0073). */}
          {r.sla.map((s) =>
            s.metAt || s.stage.startsWith('subtask:') ? null : <DueChip key={s.stage} due={s} />,
          )}
        </div>
      ) : null}
    </section>
  );
}

function deliveryKind(kind: string): string {
  const key = `delivery.kind.${kind}`;
  return key === 'delivery.kind.acknowledgement' ||
    key === 'delivery.kind.reply' ||
    key === 'delivery.kind.notification'
    ? t(key)
    : kind;
}

function Photos({ report }: { report: Report }) {
  const photos = report.attachments.filter((a) => a.contentType.startsWith('image/'));
  return (
    <Section title={t('detail.photos')}>
      {photos.length ? (
        <div class="photos">
          {photos.map((a, i) => (
            <div class="photo" key={a.url}>
              <ProtectedImage url={a.url} alt={`${t('detail.photos')} ${i + 1}`} />
            </div>
          ))}
        </div>
      ) : (
        <p class="hint">{t('detail.noPhotos')}</p>
      )}
    </Section>
  );
}

function flagText(code: string): string {
  const key = `flag.${code}`;
  return key === 'flag.REUSED_PHOTO' || key === 'flag.FAR_FROM_REPORT' || key === 'flag.TAKEN_BEFORE_REPORT'
    ? t(key)
    : code;
}

function EvidenceGallery({ report }: { report: Report }) {
  if (!report.evidence.length) return <p class="hint">{t('detail.noEvidence')}</p>;
  return (
    <div class="photos" data-testid="evidence">
      {report.evidence.map((e, i) => (
        <div class="photo" key={e.id}>
          <ProtectedImage url={e.url} alt={`${t('track.evidence')} ${i + 1}`} />
          <div class="who">{formatTime(e.uploadedAt)}</div>
          {e.flags.map((f) => (
            <div class="flag" data-testid="evidence-flag" key={f.code}>
              {`⚑ ${flagText(f.code)}: ${f.detail}`}
            </div>
          ))}
        </div>
      ))}
    </div>
  );
}

function FollowUps({ report }: { report: Report }) {
  return (
    <ul class="notes" data-testid="follow-ups">
      {report.followUps.map((f) => (
        <li key={f.id}>
          <div class="who">{`${channelLabel(f.channel)} · ${formatTime(f.at)}`}</div>
          {f.text}
          {f.attachments.length ? (
            <div class="photos">
              {f.attachments
                .filter((a) => a.contentType.startsWith('image/'))
                .map((a) => (
                  <div class="photo" key={a.url}>
                    <ProtectedImage url={a.url} alt={a.name ?? t('detail.photos')} />
                  </div>
                ))}
            </div>
          ) : null}
        </li>
      ))}
    </ul>
  );
}

/**
 * The history, newest first as the API orders it, with what officers and the reporter said to
 * each other placed at its time.
 */
function Timeline({ report }: { report: Report }) {
  const said = conversationItems(report).reverse();
  const items: JSX.Element[] = [];
  for (const entry of [...report.timeline].reverse()) {
    while (said.length && Date.parse(said[0]!.at) >= Date.parse(entry.at)) items.push(said.shift()!.node);
    items.push(<Transition key={`transition-${entry.sequence}`} entry={entry} />);
  }
  items.push(...said.map((s) => s.node));
  return (
    <ol class="timeline" data-testid="officer-timeline">
      {items}
    </ol>
  );
}

function Transition({ entry }: { entry: Report['timeline'][number] }) {
  return (
    <li>
      <span class={`badge state-${entry.to}`}>{stateLabel(entry.to, entry.label)}</span>{' '}
      <span class="when">{formatTime(entry.at)}</span>
      <div class="who">
        {[entry.actor.displayName ?? entry.actor.id ?? entry.actor.kind, entry.unit?.name]
          .filter(Boolean)
          .join(' · ')}
      </div>
      {entry.publicNote ? <p class="note">{entry.publicNote}</p> : null}
      {entry.internalNote ? <p class="internal">{entry.internalNote}</p> : null}
    </li>
  );
}

function Notes({ report }: { report: Report }) {
  return report.notes.length ? (
    <ul class="notes">
      {report.notes.map((n) => (
        <li key={n.id}>
          <div class="who">{`${n.author?.displayName ?? ''} · ${formatTime(n.at)}`}</div>
          {n.text}
        </li>
      ))}
    </ul>
  ) : (
    <p class="hint">{t('detail.noNotes')}</p>
  );
}
