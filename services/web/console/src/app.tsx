import { useCallback, useEffect, useMemo, useRef, useState } from 'preact/hooks';
import {
  ApiError,
  clearSession,
  freshSession,
  loadSession,
  officerApi,
  renewalDueIn,
  signIn,
  signOut,
  type Category,
  type Unit,
  type User,
} from './api/client';
import { AdminArea, AdminNavLink, routedAdminSection } from './admin/admin-area';
import { Console, type ConsoleContext, type FlashKind } from './context';
import { Detail } from './detail';
import { ENTRY_ROUTE, EntryForm, mayEnterReports } from './entry-form';
import { te } from './entry-i18n';
import { explain } from './explain';
import { lang, setLang, t } from './i18n';
import { Queue } from './queue';
import { Shortcuts } from './shortcuts';

interface Flash {
  kind: FlashKind;
  text: string;
}

/** The report id in `#/reports/{id}`, or null for the queue alone. */
function routedReport(): string | null {
  return /^#\/reports\/([\w-]+)$/.exec(location.hash)?.[1] ?? null;
}

export function App() {
  const [user, setUser] = useState<User | null>(() => loadSession()?.user ?? null);
  const [, setLanguage] = useState(lang());
  const [flash, setFlash] = useState<Flash | null>(null);
  const flashTimer = useRef<number | undefined>(undefined);

  const show = useCallback((kind: FlashKind, text: string) => {
    window.clearTimeout(flashTimer.current);
    setFlash(text ? { kind, text } : null);
    if (kind === 'success') flashTimer.current = window.setTimeout(() => setFlash(null), 8000);
  }, []);

  const endSession = useCallback(() => {
    clearSession();
    setUser(null);
  }, []);

  // The access token lives 5 minutes: it is renewed in the background so a shift is never
  // interrupted; a refresh the server refuses ends the session here too.
  useEffect(() => {
    if (!user) return undefined;
    let timer: number | undefined;
    const plan = () => {
      const due = renewalDueIn();
      if (due === null) return;
      timer = window.setTimeout(
        async () => {
          if (await freshSession()) plan();
          else {
            endSession();
            show('error', t('session.renewFailed'));
          }
        },
        Math.min(due + 500, 2 ** 31 - 1),
      );
    };
    plan();
    return () => window.clearTimeout(timer);
  }, [user, endSession, show]);

  const toggleLanguage = () => {
    const next = lang() === 'id' ? 'en' : 'id';
    setLang(next);
    setLanguage(next);
  };

  return (
    <>
      <header class="topbar">
        <div class="topbar-inner">
          <a class="brand" href="/console/">
            <span class="brand-mark" aria-hidden="true">
              A
            </span>
            <span>{t('console.title')}</span>
          </a>
          <span class="spacer" />
          {user && mayEnterReports(user.role) ? (
            <a class="ghost" id="new-report" href={`/console/${ENTRY_ROUTE}`}>
              {te('entry.nav')}
            </a>
          ) : null}
          <a class="ghost" href="/console/news/">
            {t('console.news')}
          </a>
          <a class="ghost" href="/console/whatsapp/">
            {t('console.whatsapp')}
          </a>
          {user?.role === 'admin' ? <AdminNavLink /> : null}
          {user ? (
            <>
              <span class="who" id="who">
                {`${user.displayName} · ${t(`role.${user.role}`)}${user.unit ? ` · ${user.unit.name}` : ''}`}
              </span>
              <button
                type="button"
                class="ghost"
                id="sign-out"
                onClick={async () => {
                  await signOut();
                  location.hash = '';
                  endSession();
                }}
              >
                {t('signout')}
              </button>
              <button
                type="button"
                class="ghost"
                id="sign-out-everywhere"
                onClick={async () => {
                  await signOut(true);
                  location.hash = '';
                  endSession();
                }}
              >
                {t('signout.everywhere')}
              </button>
            </>
          ) : null}
          <button type="button" class="lang-toggle" id="lang" onClick={toggleLanguage}>
            {t('lang.switch')}
          </button>
        </div>
      </header>
      <main>
        <div id="flash" role="alert" aria-live="assertive">
          {flash ? (
            <p class={`message ${flash.kind}`} data-testid={`flash-${flash.kind}`}>
              {flash.text}
            </p>
          ) : null}
        </div>
        {user ? (
          <Workspace user={user} flash={show} endSession={endSession} />
        ) : (
          <SignIn
            flash={show}
            onSignedIn={(signedIn) => {
              setFlash(null);
              setUser(signedIn);
            }}
          />
        )}
      </main>
    </>
  );
}

function SignIn({ flash, onSignedIn }: { flash: ConsoleContext['flash']; onSignedIn(user: User): void }) {
  const [busy, setBusy] = useState(false);
  // After an admin's reset the password typed is a one-time one: the officer chooses their own (ADR 0075).
  const [choosing, setChoosing] = useState(false);
  const username = useRef<HTMLInputElement>(null);
  useEffect(() => username.current?.focus(), []);
  const submit = async (event: SubmitEvent) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget as HTMLFormElement);
    setBusy(true);
    const newPassword = choosing ? String(form.get('new-password') ?? '') : undefined;
    try {
      onSignedIn(
        await signIn(
          String(form.get('username') ?? '').trim(),
          String(form.get('password') ?? ''),
          newPassword,
        ),
      );
    } catch (err) {
      if (err instanceof ApiError && err.code === 'PASSWORD_CHANGE_REQUIRED') {
        setChoosing(true);
        flash('error', t('signin.chooseNew'));
      } else
        flash('error', err instanceof ApiError && err.status === 401 ? t('signin.failed') : explain(err));
      setBusy(false);
    }
  };
  return (
    <section id="sign-in" class="card sign-in">
      <h1>{t('signin.title')}</h1>
      <form id="sign-in-form" noValidate onSubmit={submit}>
        <div class="field">
          <label for="username">{t('signin.username')}</label>
          <input id="username" name="username" type="text" autocomplete="username" required ref={username} />
        </div>
        <div class="field">
          <label for="password">{t('signin.password')}</label>
          <input id="password" name="password" type="password" autocomplete="current-password" required />
        </div>
        {choosing ? (
          <div class="field">
            <label for="new-password">{t('signin.newPassword')}</label>
            <input
              id="new-password"
              name="new-password"
              type="password"
              autocomplete="new-password"
              minLength={10}
              required
            />
          </div>
        ) : null}
        <button type="submit" disabled={busy}>
          {t('signin.submit')}
        </button>
      </form>
    </section>
  );
}

function Workspace({
  user,
  flash,
  endSession,
}: {
  user: User;
  flash: ConsoleContext['flash'];
  endSession(): void;
}) {
  const [units, setUnits] = useState<Unit[]>([]);
  const [officers, setOfficers] = useState<User[]>([]);
  const [categories, setCategories] = useState<Category[]>([]);
  const [reportId, setReportId] = useState(routedReport);
  const [adminSection, setAdminSection] = useState(() => routedAdminSection(location.hash));
  const [entering, setEntering] = useState(() => location.hash === ENTRY_ROUTE);
  const [queueVersion, setQueueVersion] = useState(0);

  const failed = useCallback(
    (err: unknown) => {
      if (err instanceof ApiError && err.status === 401) endSession();
      flash('error', explain(err));
    },
    [endSession, flash],
  );

  useEffect(() => {
    officerApi
      .units()
      .then((answer) => setUnits(answer.items))
      .catch(failed);
    officerApi
      .categories()
      .then((answer) => setCategories(answer.items))
      // Without the list the officer still searches by words; the category forms wait for a reload.
      .catch(() => setCategories([]));
    // Only admins may list accounts; they are the ones who assign reports to other officers.
    if (user.role === 'admin')
      officerApi
        .users()
        .then((answer) => setOfficers(answer.items))
        .catch(() => setOfficers([]));
  }, [user, failed]);

  useEffect(() => {
    const onHash = () => {
      flash('success', '');
      setReportId(routedReport());
      setAdminSection(routedAdminSection(location.hash));
      setEntering(location.hash === ENTRY_ROUTE);
    };
    window.addEventListener('hashchange', onHash);
    return () => window.removeEventListener('hashchange', onHash);
  }, [flash]);

  const context = useMemo<ConsoleContext>(
    () => ({
      user,
      units,
      categories,
      officers,
      flash,
      failed,
      reloadQueue: () => setQueueVersion((v) => v + 1),
    }),
    [user, units, categories, officers, flash, failed],
  );

  return (
    <Console.Provider value={context}>
      {user.role === 'admin' && adminSection ? (
        <AdminArea section={adminSection} />
      ) : (
        <>
          <Shortcuts />
          <div id="workspace" class={`console${reportId || entering ? ' detail-open' : ''}`}>
            <Queue selected={reportId} reloads={queueVersion} />
            <section class="detail-pane" id="detail" aria-live="polite">
              {entering && mayEnterReports(user.role) ? (
                <EntryForm />
              ) : reportId ? (
                <Detail key={reportId} id={reportId} />
              ) : (
                <div class="card">
                  <p class="empty">{t('detail.pick')}</p>
                </div>
              )}
            </section>
          </div>
        </>
      )}
    </Console.Provider>
  );
}
