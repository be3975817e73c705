import { useState } from 'preact/hooks';
import { ApiError, officerApi, type Report } from './api/client';
import { taskApi, type Task, type TaskAction } from './api/tasks';
import { EvidencePicker, Field, OfficerSelect } from './actions';
import { useConsole } from './context';
import { formatDuration, formatTime, t } from './i18n';
import { tt } from './i18n-tasks';

interface Props {
  report: Report;
  replace(next: Report): void;
}

/** Units a report is handed to in parallel: the OPDs and other city-wide bodies, not the area levels. */
const AREA_KINDS = ['suku_dinas', 'kota', 'kecamatan', 'kelurahan'];

/**
 * The parts of a report worked by several units at once (ADR 0073): each unit's state, officer,
 * due time and result, with what the signed-in officer may do to each part, and the form that
 * hands the report to several units. Every control is a native button, select or checkbox, so
 * the whole section is reachable with the keyboard.
 */
export function Tasks({ report, replace }: Props) {
  const { flash, failed, reloadQueue } = useConsole();
  const [busy, setBusy] = useState(false);
  const round = Math.max(0, ...report.tasks.map((x) => x.round));
  const current = report.tasks.filter((x) => x.round === round);
  const open = current.filter(isOpen);

  const run = async (work: () => Promise<Report>, done: (next: Report) => string, part: boolean) => {
    setBusy(true);
    try {
      const next = await work();
      replace(next);
      flash('success', done(next));
      reloadQueue();
    } catch (err) {
      // A part's conflict names the part's state, which the report's words do not cover.
      if (
        part &&
        err instanceof ApiError &&
        (err.code === 'STALE_VERSION' || err.code === 'ILLEGAL_TRANSITION')
      ) {
        flash('error', tt('tasks.illegal'));
        replace(await officerApi.report(report.id).catch(() => report));
      } else failed(err);
    } finally {
      setBusy(false);
    }
  };

  const act = (
    task: Task,
    action: TaskAction,
    body: { officer?: string; note?: string; evidence?: string[] } = {},
  ) =>
    run(
      () => taskApi.act(report.id, task, action, body),
      (next) => {
        const after = next.tasks.find((x) => x.id === task.id);
        return tt('tasks.saved', { unit: task.unit.name, label: after?.label ?? '' });
      },
      true,
    );

  return (
    <div data-testid="tasks">
      {report.tasks.length ? (
        <>
          {open.length ? (
            <p class="hint" id="tasks-waiting">
              {tt('tasks.waiting', { done: current.length - open.length, all: current.length })}
            </p>
          ) : null}
          <table class="tasks">
            <thead>
              <tr>
                <th scope="col">{tt('tasks.unit')}</th>
                <th scope="col">{tt('tasks.state')}</th>
                <th scope="col">{tt('tasks.assignee')}</th>
                <th scope="col">{tt('tasks.due')}</th>
                <th scope="col">{tt('tasks.note')}</th>
                <th scope="col">{tt('tasks.actions')}</th>
              </tr>
            </thead>
            <tbody>
              {report.tasks.map((task) => (
                <tr key={task.id} data-unit={task.unit.code} data-testid="task">
                  <th scope="row">{`${task.unit.name} (${task.unit.code})`}</th>
                  <td>
                    <span class="badge" data-testid="task-state">
                      {task.label}
                    </span>
                  </td>
                  <td>{task.assignee?.displayName ?? tt('tasks.nobody')}</td>
                  <td>
                    <TaskDue task={task} />
                  </td>
                  <td>{task.note ?? ''}</td>
                  <td>
                    <PartActions report={report} task={task} busy={busy} act={act} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      ) : (
        <p class="hint">{tt('tasks.none')}</p>
      )}
      {report.allowedActions.includes('coordinate-parallel') ? (
        <ParallelForm report={report} busy={busy} run={run} />
      ) : null}
    </div>
  );
}

/** Neither done nor cancelled. Part states are the API's enum, so the compiler checks these names. */
function isOpen(task: Task): boolean {
  return task.state !== 'DONE' && task.state !== 'CANCELLED';
}

function TaskDue({ task }: { task: Task }) {
  if (!task.dueAt) return <>–</>;
  if (!isOpen(task)) return <>{formatTime(task.dueAt)}</>;
  const left = Date.parse(task.dueAt) - Date.now();
  return (
    <span class={`badge ${task.overdue || left < 0 ? 'overdue' : 'due'}`}>
      {task.overdue || left < 0
        ? t('due.overdue', { d: formatDuration(left) })
        : t('due.in', { d: formatDuration(left) })}
    </span>
  );
}

function PartActions({
  report,
  task,
  busy,
  act,
}: {
  report: Report;
  task: Task;
  busy: boolean;
  act(
    task: Task,
    action: TaskAction,
    body?: { officer?: string; note?: string; evidence?: string[] },
  ): Promise<void>;
}) {
  const { officers } = useConsole();
  const may = (a: TaskAction) => task.allowedActions.includes(a);
  const candidates = officers.filter((o) => o.role === 'unit_officer' && o.unit?.code === task.unit.code);
  const unused = report.evidence.filter((e) => !e.usedInTransition);
  return (
    <fieldset class="buttons" disabled={busy} data-part={task.unit.code}>
      {may('claim') && !task.assignee ? (
        <button type="button" class="secondary" onClick={() => void act(task, 'claim')}>
          {tt('tasks.claim')}
        </button>
      ) : null}
      {may('start') ? (
        <button type="button" onClick={() => void act(task, 'start')}>
          {tt('tasks.start')}
        </button>
      ) : null}
      {may('assign') && candidates.length ? (
        <form
          class="inline"
          onSubmit={(e) => {
            e.preventDefault();
            const officer = String(new FormData(e.currentTarget as HTMLFormElement).get('officer') ?? '');
            if (officer) void act(task, 'assign', { officer });
          }}
        >
          <Field label={tt('tasks.assign')}>{(id) => <OfficerSelect id={id} officers={candidates} />}</Field>
          <button type="submit" class="secondary">
            {tt('tasks.assign')}
          </button>
        </form>
      ) : null}
      {may('done') ? (
        <details class="action">
          <summary>{tt('tasks.done')}</summary>
          <form
            data-action="task-done"
            noValidate
            onSubmit={(e) => {
              e.preventDefault();
              const data = new FormData(e.currentTarget as HTMLFormElement);
              void act(task, 'done', {
                note: String(data.get('note') ?? '').trim(),
                evidence: data.getAll('evidence').map(String),
              });
            }}
          >
            {unused.length ? (
              <fieldset>
                <legend>{tt('tasks.done.evidence')}</legend>
                <EvidencePicker photos={unused} alt={tt('tasks.done.evidence')} />
              </fieldset>
            ) : (
              <p class="hint">{tt('tasks.done.noEvidence')}</p>
            )}
            <Field label={tt('tasks.done.note')}>
              {(id) => <textarea id={id} name="note" required maxLength={4000} />}
            </Field>
            <button type="submit">{tt('tasks.done')}</button>
          </form>
        </details>
      ) : null}
    </fieldset>
  );
}

function ParallelForm({
  report,
  busy,
  run,
}: {
  report: Report;
  busy: boolean;
  run(work: () => Promise<Report>, done: (next: Report) => string, part: boolean): Promise<void>;
}) {
  const { units } = useConsole();
  const working = new Set(report.tasks.filter(isOpen).map((x) => x.unit.code));
  const candidates = units
    .filter((u) => !AREA_KINDS.includes(u.kind) && !working.has(u.code))
    .sort((a, b) => a.name.localeCompare(b.name, 'id'));
  return (
    <details class="action" id="coordinate-parallel">
      <summary>{tt('tasks.coordinate')}</summary>
      <form
        data-action="coordinate-parallel"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          const data = new FormData(e.currentTarget as HTMLFormElement);
          const chosen = data.getAll('units').map(String);
          const note = String(data.get('note') ?? '').trim() || undefined;
          void run(
            () => taskApi.coordinate(report.id, chosen, note, report.version),
            () => tt('tasks.coordinated', { n: chosen.length }),
            false,
          );
        }}
      >
        <fieldset class="unit-choice">
          <legend>{tt('tasks.coordinate.units')}</legend>
          <p class="hint">{tt('tasks.coordinate.hint')}</p>
          {candidates.map((u) => (
            <label key={u.code} class="check">
              <input type="checkbox" name="units" value={u.code} /> {`${u.name} (${u.code})`}
            </label>
          ))}
        </fieldset>
        <Field label={t('field.internalReason')}>
          {(id) => <textarea id={id} name="note" maxLength={4000} />}
        </Field>
        <fieldset class="buttons" disabled={busy}>
          <button type="submit">{tt('tasks.coordinate.submit')}</button>
        </fieldset>
      </form>
    </details>
  );
}
