import { useSearchParams } from '@solidjs/router';
import { createEffect, createResource, createSignal, For, onCleanup, Show } from 'solid-js';
import './citizen.css';
import { api, type Outputs } from '../api';
import { problemForCode, type Problem } from '../errors';
import { formatDateTime } from '../format';
import { lang, t } from '../i18n';
import { ProblemNote } from '../ProblemNote';
import { LanguageSwitch } from '../shell/LanguageSwitch';
import { citizenProblem, type Tracked } from '../track/store';
import { TrackResult } from '../track/TrackResult';

type Summary = Outputs['account']['dossiers'][number];
type EDocument = Outputs['account']['documents'][number];

/** One dossier of the person: its summary, and the track page's full view when opened (by its code alone). */
const DossierItem = (props: { dossier: Summary }) => {
  const [open, setOpen] = createSignal(false);
  const [detail, setDetail] = createSignal<Tracked>();
  const [problem, setProblem] = createSignal<Problem>();
  const code = () => props.dossier.code;
  const load = async () => {
    setProblem(undefined);
    try {
      setDetail(await api.citizen.track.mutate({ code: code()! }));
    } catch (error) {
      setProblem(citizenProblem(error));
    }
  };
  const toggle = () => {
    const next = !open();
    setOpen(next);
    if (next && !detail()) void load();
  };
  const regionId = () => `my-dossier-${code() ?? 'pending'}`;
  return (
    <li class="my-dossier">
      <div class="my-dossier-head">
        <div>
          <p class="my-dossier-code">{code() ?? t('my.noCode')}</p>
          <p class="my-dossier-name">{props.dossier.procedureName}</p>
          <p class="track-hint">
            {props.dossier.officeName} · {t('my.received', { at: formatDateTime(props.dossier.receivedAt) })}
          </p>
        </div>
        <div class="my-dossier-state">
          <span class={`track-badge track-badge-${props.dossier.progress}`}>
            {props.dossier.stateWords[lang()]}
          </span>
          <Show when={props.dossier.billsToPay > 0}>
            <span class="my-dossier-bills">{t('my.bills', { n: props.dossier.billsToPay })}</span>
          </Show>
        </div>
      </div>
      <Show when={code()}>
        <button
          type="button"
          class="button button-quiet my-dossier-toggle"
          aria-expanded={open()}
          aria-controls={regionId()}
          onClick={toggle}
        >
          {open() ? t('my.close') : t('my.open')}
          <span class="visually-hidden"> {code()}</span>
        </button>
      </Show>
      <Show when={open()}>
        <div id={regionId()} class="my-dossier-detail" aria-live="polite">
          <Show when={problem()}>{(p) => <ProblemNote problem={p()} />}</Show>
          <Show when={detail()} fallback={<Show when={!problem()}>{t('my.loading')}</Show>}>
            {(d) => <TrackResult dossier={d()} holder={{ code: code()! }} onChanged={() => void load()} />}
          </Show>
        </div>
      </Show>
    </li>
  );
};

const Documents = (props: { documents: EDocument[] }) => (
  <section class="my-section" aria-labelledby="my-documents-title">
    <h2 id="my-documents-title" class="track-subtitle">
      {t('my.documents')}
    </h2>
    <p class="track-hint">{t('my.documentsIntro')}</p>
    <Show when={props.documents.length > 0} fallback={<p>{t('my.documentsNone')}</p>}>
      <ul class="my-documents">
        <For each={props.documents}>
          {(doc) => (
            <li>
              <div>
                <p class="my-document-title">{doc.title ?? doc.componentCode}</p>
                <p class="track-hint">
                  {doc.digitizedCode} · {doc.dossierCode}
                </p>
              </div>
              <a class="button button-primary" href={doc.downloadPath} download="" rel="external">
                {t('my.download')}
              </a>
            </li>
          )}
        </For>
      </ul>
    </Show>
  </section>
);

/**
 * /my — the citizen's own page. Signed out: the VNeID sign-in (a plain link: the server sends the browser to
 * the provider and back) and the way to follow a dossier by code and phone. Signed in: every dossier carrying
 * their id number, at every office, and their signed e-copies. A failed sign-in comes back as `?error=<code>`.
 */
export const MyPage = () => {
  const [params, setParams] = useSearchParams();
  const errorCode = Array.isArray(params.error) ? params.error[0] : params.error;
  const [me, { refetch }] = createResource(() => api.account.me.query());
  const signedIn = () => Boolean(me()?.signedIn);
  const [dossiers] = createResource(signedIn, (yes) => (yes ? api.account.dossiers.query() : []));
  const [documents] = createResource(signedIn, (yes) => (yes ? api.account.documents.query() : []));
  const [problem, setProblem] = createSignal<Problem | undefined>(
    errorCode ? problemForCode(errorCode) : undefined,
  );

  const previousTitle = document.title;
  createEffect(() => {
    document.title = `${t('my.title')} — ${t('app.name')}`;
  });
  onCleanup(() => {
    document.title = previousTitle;
  });

  const signOut = async () => {
    try {
      await api.account.signOut.mutate();
      setParams({ error: undefined }, { replace: true });
      await refetch();
    } catch (error) {
      setProblem(citizenProblem(error));
    }
  };

  return (
    <div class="track-page my-page">
      <header class="public-header">
        <span class="public-brand">{t('my.title')}</span>
        <LanguageSwitch />
      </header>
      <main class="track-main">
        <Show when={problem()}>{(p) => <ProblemNote problem={p()} id="my-problem" />}</Show>
        <Show when={me()} fallback={<p>{t('my.loading')}</p>}>
          {(who) => (
            <Show
              when={who().signedIn}
              fallback={
                <section class="track-card my-signin" aria-labelledby="my-heading">
                  <h1 id="my-heading" class="track-heading">
                    {t('my.title')}
                  </h1>
                  <p class="track-intro">{t('my.intro')}</p>
                  <Show when={who().available} fallback={<p>{t('my.unavailable')}</p>}>
                    <a class="button button-primary my-vneid" href="/auth/eid/start" rel="external">
                      {t('my.signIn')}
                    </a>
                    <p class="track-hint">{t('my.signInHint')}</p>
                  </Show>
                  <a class="citizen-link" href="/track">
                    {t('my.orTrack')}
                  </a>
                </section>
              }
            >
              <section class="my-who" aria-labelledby="my-heading">
                <div>
                  <h1 id="my-heading" class="track-heading">
                    {who().fullName ? t('my.hello', { name: who().fullName! }) : t('my.helloAnonymous')}
                  </h1>
                  <p class="track-hint" id="my-id">
                    {t('my.idNumber', { id: who().idNumber ?? '' })}
                  </p>
                </div>
                <button type="button" class="button button-quiet" onClick={() => void signOut()}>
                  {t('my.signOut')}
                </button>
              </section>
              <section class="my-section" aria-labelledby="my-dossiers-title">
                <h2 id="my-dossiers-title" class="track-subtitle">
                  {t('my.dossiers', { n: dossiers()?.length ?? 0 })}
                </h2>
                <Show when={dossiers()} fallback={<p>{t('my.loading')}</p>}>
                  {(list) => (
                    <Show when={list().length > 0} fallback={<p id="my-none">{t('my.none')}</p>}>
                      <ul class="my-dossiers">
                        <For each={list()}>{(d) => <DossierItem dossier={d} />}</For>
                      </ul>
                    </Show>
                  )}
                </Show>
                <a class="citizen-link" href="/request-pickup">
                  {t('my.pickup')}
                </a>
              </section>
              <Show when={documents()}>{(docs) => <Documents documents={docs()} />}</Show>
            </Show>
          )}
        </Show>
      </main>
    </div>
  );
};
