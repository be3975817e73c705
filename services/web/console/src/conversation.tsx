// Talking to the reporter (ADR 0074): "ask for details" and "send message" on the report detail,
// and the conversation — questions, messages, the reporter's answers — in its timeline. The
// console never sees the reporter's address: the status service hands the text to the adapter of
// the reporter's channel.
import type { JSX } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError, officerApi, type ConversationEntry, type MessageKind, type Report } from './api/client';
import { useConsole } from './context';
import { refusalKey, say, type ConversationKey } from './conversation-strings';
import { channelLabel, formatTime } from './i18n';

/** The API's own bounds (ADR 0074); it judges the text made plain, the form only helps. */
const MIN_TEXT = 5;
const MAX_TEXT = 600;
/** How often an open report that waits for its reporter looks for the answer. */
const WATCH_MS = 5000;

function reporterChannel(r: Report): string {
  const channel = r.reporter.channel ?? r.channel;
  return channelLabel(channel, channel === r.channel ? r.channelLabel : null);
}

/**
 * While the report waits for its reporter, or a message has no delivery yet, the open detail
 * re-reads the report now and then: the answer and the receipts arrive by the channel's adapter,
 * not by anything the officer does. Forms keep what is typed: the report is updated, not replaced.
 */
export function useAnswerWatch(report: Report | null, update: (next: Report) => void): void {
  const pending = Boolean(
    report && (report.conversation.waitingForCitizen || report.conversation.entries.some((e) => !e.delivery)),
  );
  const id = report?.id;
  useEffect(() => {
    if (!pending || !id) return;
    const timer = window.setInterval(() => {
      officerApi.report(id).then(update, () => {
        // A missed look is retried at the next tick; the officer sees the last answer meanwhile.
      });
    }, WATCH_MS);
    return () => window.clearInterval(timer);
  }, [pending, id, update]);
}

function deliveryText(entry: ConversationEntry): string {
  const d = entry.delivery;
  if (!d) return say('delivery.pending');
  if (d.status === 'failed') return say('delivery.failed', { reason: d.reason ?? '–' });
  return say(`delivery.${d.status}` as ConversationKey);
}

/** The conversation as entries of the detail's timeline, oldest first, each with its time. */
export function conversationItems(report: Report): Array<{ at: string; node: JSX.Element }> {
  return report.conversation.entries.map((e) => ({
    at: e.at,
    node: (
      <li
        key={`conversation-${e.id}`}
        class="conversation"
        data-testid="conversation-entry"
        data-kind={e.kind}
      >
        <span class="badge">{say(e.kind)}</span> <span class="when">{formatTime(e.at)}</span>
        <div class="who">{[e.author.displayName ?? e.author.id, deliveryText(e)].join(' · ')}</div>
        <p class="note" style={{ whiteSpace: 'pre-wrap' }}>
          {e.text}
        </p>
        {e.kind === 'question' ? (
          e.answer ? (
            <blockquote class="note" data-testid="conversation-answer">
              <div class="who">{`${say('answer')} · ${formatTime(e.answer.at)}`}</div>
              {e.answer.text}
            </blockquote>
          ) : (
            <p class="internal">{say('noAnswer')}</p>
          )
        ) : null}
      </li>
    ),
  }));
}

/** Whether the report waits for its reporter, and the form to write to them. */
export function ContactReporter({ report, update }: { report: Report; update(next: Report): void }) {
  const waiting = report.conversation.waitingForCitizen;
  const mayWrite = report.allowedActions.includes('message-citizen');
  if (!waiting && !mayWrite) return null;
  return (
    <section class="card" data-testid="contact-reporter">
      <h2>{say('form.title')}</h2>
      {waiting ? (
        <p class="message" data-testid="waiting-for-reporter">
          {say('waiting', { since: formatTime(waiting.since) })}
        </p>
      ) : null}
      {mayWrite ? <MessageForm key={report.id} report={report} update={update} /> : null}
    </section>
  );
}

/** Write, review (the channel named), send; one action id per message, so a retry sends once. */
function MessageForm({ report, update }: { report: Report; update(next: Report): void }) {
  const { flash, failed } = useConsole();
  const [kind, setKind] = useState<MessageKind>('question');
  const [text, setText] = useState('');
  const [reviewing, setReviewing] = useState(false);
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const [actionId, setActionId] = useState(() => crypto.randomUUID());
  const confirm = useRef<HTMLButtonElement>(null);
  const textArea = useRef<HTMLTextAreaElement>(null);
  const channel = reporterChannel(report);

  // The focus follows the step (the confirmation, or back to the text), not the detail's opening.
  const opened = useRef(false);
  useEffect(() => {
    if (opened.current) (reviewing ? confirm : textArea).current?.focus();
    opened.current = true;
  }, [reviewing]);

  const review = (event: SubmitEvent) => {
    event.preventDefault();
    if (text.trim().length < MIN_TEXT) {
      setProblem(say('form.short', { min: MIN_TEXT }));
      return;
    }
    setProblem(null);
    setReviewing(true);
  };

  const send = async () => {
    setBusy(true);
    try {
      const sent = await officerApi.message(report.id, kind, text, actionId);
      update({ ...report, conversation: sent.conversation });
      flash('success', say(kind === 'question' ? 'done.question' : 'done.message', { channel }));
      setText('');
      setActionId(crypto.randomUUID());
    } catch (err) {
      const key = err instanceof ApiError ? refusalKey(err.code) : null;
      if (key) {
        const seconds = (err as ApiError).body as { retryAfterSeconds?: number };
        flash('error', say(key, { channel, seconds: seconds.retryAfterSeconds ?? '–' }));
      } else failed(err);
    } finally {
      setBusy(false);
      setReviewing(false);
    }
  };

  return (
    <form class="action" data-action="message-citizen" noValidate onSubmit={review}>
      <fieldset class="buttons" disabled={reviewing || busy}>
        <legend>{say('form.kind')}</legend>
        {(['question', 'message'] as const).map((k) => (
          <label key={k}>
            <input type="radio" name="kind" value={k} checked={kind === k} onChange={() => setKind(k)} />{' '}
            {say(`form.kind.${k}`)}
          </label>
        ))}
      </fieldset>
      <div class="field">
        <label for={`message-text-${report.id}`}>{say('form.text')}</label>
        <textarea
          id={`message-text-${report.id}`}
          ref={textArea}
          name="text"
          required
          maxLength={MAX_TEXT}
          readOnly={reviewing || busy}
          value={text}
          aria-describedby={`message-count-${report.id}`}
          onInput={(e) => setText((e.currentTarget as HTMLTextAreaElement).value)}
        />
        <div class="hint" id={`message-count-${report.id}`}>
          {say('form.count', { n: text.length, max: MAX_TEXT })}
        </div>
      </div>
      {problem ? (
        <p class="message error" role="alert">
          {problem}
        </p>
      ) : null}
      {reviewing ? (
        <div role="group" aria-label={say('form.confirm', { channel })}>
          <p class="message" data-testid="message-confirm">
            {say('form.confirm', { channel })}
          </p>
          <fieldset class="buttons" disabled={busy}>
            <button type="button" ref={confirm} onClick={() => void send()}>
              {say('form.send')}
            </button>
            <button type="button" class="secondary" onClick={() => setReviewing(false)}>
              {say('form.back')}
            </button>
          </fieldset>
        </div>
      ) : (
        <fieldset class="buttons">
          <button type="submit">{say('form.next')}</button>
        </fieldset>
      )}
    </form>
  );
}
