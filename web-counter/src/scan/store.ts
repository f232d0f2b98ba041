import { batch, createEffect, createMemo, createSignal, on, onCleanup } from 'solid-js';
import { createStore, produce, reconcile, unwrap } from 'solid-js/store';
import { api, desk, type Outputs } from '../api';
import { describeError, errorDetails, type Problem } from '../errors';
import { tIn } from '../i18n';
import { session } from '../session';
import { splitByOrder } from './batch';

export type Digitization = Outputs['digitize']['dossier'];
export type ScanComponent = Digitization['components'][number];
export type ScanPage = ScanComponent['pages'][number];
export type PageMode = ScanPage['mode'];
export type Rotation = 0 | 90 | 180 | 270;

export type Upload = {
  id: number;
  name: string;
  status: 'waiting' | 'sending' | 'done' | 'failed';
  problem?: Problem;
};

type ComponentUi = { uploads: Upload[]; problem?: Problem; signing?: boolean; needPin?: boolean };

const POLL_MS = 1000;

export const isBusy = (page: ScanPage) => page.state === 'queued' || page.state === 'processing';
export const isRecognising = (page: ScanPage) => page.ocrState === 'requested';
export type TextMatch = Digitization['matches'][number];
export const isDone = (component: ScanComponent) => component.reused || Boolean(component.signedUrl);

/** Why a component cannot be signed yet, or undefined when it can. */
export const finishBlocker = (component: ScanComponent, uploading: boolean) => {
  if (uploading) return { key: 'comp.finishUploading' as const, n: 0 };
  if (component.pages.length === 0) return { key: 'comp.finishNoPages' as const, n: 0 };
  const failed = component.pages.filter((page) => page.state === 'failed').length;
  if (failed) return { key: 'comp.finishFailed' as const, n: failed };
  const busy = component.pages.filter(isBusy).length;
  if (busy) return { key: 'comp.finishWaiting' as const, n: busy };
  return undefined;
};

/** One dossier at the scanning station: its components and pages, polled while pages are being processed. */
export const createScan = (dossierId: string) => {
  const [data, setData] = createStore<{ value?: Digitization }>({});
  const [loadProblem, setLoadProblem] = createSignal<Problem>();
  const [ui, setUi] = createStore<Record<string, ComponentUi>>({});
  const [completing, setCompleting] = createSignal(false);
  const [completeProblem, setCompleteProblem] = createSignal<Problem & { missing?: string[] }>();
  let disposed = false;
  let loading: Promise<void> | undefined;
  let nextUpload = 1;
  onCleanup(() => {
    disposed = true;
  });

  const fetchNow = async () => {
    try {
      const next = await api.digitize.dossier.query({ dossierId });
      if (disposed) return;
      batch(() => {
        setData('value', reconcile(next, { key: 'id' }));
        setLoadProblem(undefined);
      });
    } catch (error) {
      if (!disposed) setLoadProblem(describeError(error));
    }
  };

  /** Coalesces overlapping reloads: a poll tick while one is in flight waits for it. */
  const load = () => {
    loading ??= fetchNow().finally(() => {
      loading = undefined;
    });
    return loading;
  };

  createEffect(
    on(
      () => session.membership()?.officeId,
      () => void load(),
    ),
  );

  const dossier = () => data.value;
  const componentUi = (code: string): ComponentUi => ui[code] ?? { uploads: [] };
  const uploading = (code: string) =>
    componentUi(code).uploads.some((u) => u.status === 'waiting' || u.status === 'sending');
  const processing = createMemo(() =>
    (dossier()?.components ?? []).reduce((sum, component) => sum + component.pages.filter(isBusy).length, 0),
  );
  const recognising = createMemo(() =>
    (dossier()?.components ?? []).reduce(
      (sum, component) => sum + component.pages.filter(isRecognising).length,
      0,
    ),
  );
  const open = () => dossier()?.state === 'received';
  const doneCount = () => (dossier()?.components ?? []).filter(isDone).length;
  const canComplete = () => open() && (dossier()?.components ?? []).every(isDone);

  createEffect(() => {
    if (processing() === 0 && recognising() === 0) return;
    const timer = setInterval(() => void load(), POLL_MS);
    onCleanup(() => clearInterval(timer));
  });

  const patchUi = (code: string, patch: Partial<ComponentUi>) =>
    setUi(code, (current) => ({ ...(current ?? { uploads: [] }), ...patch }));

  const setUpload = (code: string, id: number, patch: Partial<Upload>) =>
    setUi(
      produce((all) => {
        const upload = all[code]?.uploads.find((u) => u.id === id);
        if (upload) Object.assign(upload, patch);
      }),
    );

  const dropFinished = (code: string) =>
    setUi(code, 'uploads', (uploads) => uploads.filter((u) => u.status !== 'done'));

  /** Files go up one after another; a failed one keeps its error in the list, the others carry on. */
  const addFiles = async (code: string, files: File[]) => {
    if (files.length === 0) return;
    const entries = files.map((file) => ({ file, id: nextUpload++ }));
    patchUi(code, {
      problem: undefined,
      uploads: [
        ...componentUi(code).uploads,
        ...entries.map(({ file, id }) => ({ id, name: file.name, status: 'waiting' as const })),
      ],
    });
    for (const { file, id } of entries) {
      if (disposed) return;
      setUpload(code, id, { status: 'sending' });
      try {
        await desk.uploadPages(dossierId, code, file, file.name);
        setUpload(code, id, { status: 'done' });
        await load();
      } catch (error) {
        setUpload(code, id, { status: 'failed', problem: describeError(error) });
      }
    }
    dropFinished(code);
  };

  const dismissUpload = (code: string, id: number) =>
    setUi(code, 'uploads', (uploads) => uploads.filter((u) => u.id !== id));

  const component = (code: string) => dossier()?.components.find((c) => c.code === code);

  const act = async (code: string, action: () => Promise<unknown>) => {
    patchUi(code, { problem: undefined });
    try {
      await action();
      return true;
    } catch (error) {
      patchUi(code, { problem: describeError(error) });
      return false;
    } finally {
      await load();
    }
  };

  const setPageOrder = (code: string, pages: ScanPage[]) => {
    const index = dossier()?.components.findIndex((c) => c.code === code) ?? -1;
    if (index >= 0) setData('value', 'components', index, 'pages', reconcile(pages, { key: 'id' }));
  };

  const move = (code: string, pageId: string, delta: -1 | 1) => {
    const current = component(code);
    if (!current?.documentId) return Promise.resolve(false);
    const pages = [...unwrap(current.pages)];
    const from = pages.findIndex((p) => p.id === pageId);
    const to = from + delta;
    if (from < 0 || to < 0 || to >= pages.length) return Promise.resolve(false);
    [pages[from], pages[to]] = [pages[to]!, pages[from]!];
    setPageOrder(code, pages);
    const documentId = current.documentId;
    return act(code, () => api.digitize.reorderPages.mutate({ documentId, pageIds: pages.map((p) => p.id) }));
  };

  const rotate = (code: string, page: ScanPage) =>
    act(code, () =>
      api.digitize.changePage.mutate({ pageId: page.id, rotation: ((page.rotation + 90) % 360) as Rotation }),
    );

  const setMode = (code: string, page: ScanPage, mode: PageMode) =>
    act(code, () => api.digitize.changePage.mutate({ pageId: page.id, mode }));

  /** OCR of one page on or off; the text arrives later, in its own job, and never holds the clerk up. */
  const setOcr = (code: string, page: ScanPage, on: boolean) =>
    act(code, () => api.digitize.changePage.mutate({ pageId: page.id, ocr: on }));

  /** OCR for every page of a component that is not failed: on for those without it, or off for all. */
  const setComponentOcr = (code: string, on: boolean) =>
    act(code, async () => {
      const pages = (component(code)?.pages ?? []).filter(
        (page) =>
          page.state !== 'failed' &&
          (on ? page.ocrState === null || page.ocrState === 'failed' : page.ocrState !== null),
      );
      for (const page of pages) await api.digitize.changePage.mutate({ pageId: page.id, ocr: on });
    });

  const [search, setSearch] = createSignal('');
  const [matches, setMatches] = createSignal<TextMatch[]>();
  const [searching, setSearching] = createSignal(false);
  const [searchProblem, setSearchProblem] = createSignal<Problem>();
  /** The pages of this dossier whose recognised text holds `text` (case and Vietnamese marks ignored). */
  const findText = async (text: string) => {
    setSearch(text);
    if (text.trim().length < 2) {
      setMatches(undefined);
      return;
    }
    setSearching(true);
    setSearchProblem(undefined);
    try {
      const result = await api.digitize.dossier.query({ dossierId, search: text.trim() });
      if (!disposed && search() === text) setMatches(result.matches);
    } catch (error) {
      if (!disposed) setSearchProblem(describeError(error));
    } finally {
      setSearching(false);
    }
  };

  /** A page the server gave up on (its processing was interrupted too often) processed again from its scan. */
  const retry = (code: string, page: ScanPage) =>
    act(code, () => api.digitize.retryPage.mutate({ pageId: page.id }));

  const remove = (code: string, pageId: string) =>
    act(code, () => api.digitize.deletePage.mutate({ pageId }));

  /** A re-scan: the new file's pages take the old page's place, then the old page goes. */
  const rescan = async (code: string, pageId: string, file: File) => {
    const id = nextUpload++;
    patchUi(code, {
      problem: undefined,
      uploads: [...componentUi(code).uploads, { id, name: file.name, status: 'sending' }],
    });
    let pageIds: string[];
    try {
      ({ pageIds } = await desk.uploadPages(dossierId, code, file, file.name));
      setUpload(code, id, { status: 'done' });
    } catch (error) {
      setUpload(code, id, { status: 'failed', problem: describeError(error) });
      return false;
    }
    dropFinished(code);
    const fresh = await api.digitize.dossier.query({ dossierId }).catch(() => undefined);
    const after = fresh?.components.find((c) => c.code === code);
    return act(code, async () => {
      if (after?.documentId) {
        const others = after.pages.map((p) => p.id).filter((p) => !pageIds.includes(p));
        const order = others.flatMap((p) => (p === pageId ? pageIds : [p]));
        await api.digitize.reorderPages.mutate({ documentId: after.documentId, pageIds: order });
      }
      await api.digitize.deletePage.mutate({ pageId });
    });
  };

  const finish = async (code: string, pin?: string) => {
    const current = component(code);
    if (!current?.documentId) return false;
    const documentId = current.documentId;
    patchUi(code, { problem: undefined, signing: true });
    try {
      await api.digitize.finishComponent.mutate({ documentId, ...(pin ? { pin } : {}) });
      patchUi(code, { signing: false, needPin: false });
      await load();
      return true;
    } catch (error) {
      const described = describeError(error);
      // No key of the clerk's own on the token: say who can fix it (the administrator).
      const problem =
        described.code === 'TOKEN_NOT_FOUND' && errorDetails(error).reason === 'no_signing_key'
          ? { ...described, vi: tIn('vi', 'scan.noKey'), en: tIn('en', 'scan.noKey') }
          : described;
      patchUi(code, {
        signing: false,
        problem,
        ...(problem.code === 'TOKEN_PIN_INVALID' ? { needPin: true } : {}),
      });
      await load();
      return false;
    }
  };

  /** The scans of the whole dossier at once: file n to the n-th component still to scan (see splitByOrder). */
  const addBatch = async (files: File[]) => {
    const open = (dossier()?.components ?? []).filter((c) => !c.reused && !c.signedUrl);
    const parts = splitByOrder(
      files,
      open.map((c) => c.code),
    );
    await Promise.all([...parts].map(([code, part]) => addFiles(code, part)));
  };

  const [forwarding, setForwarding] = createSignal(false);
  const [forwardProblem, setForwardProblem] = createSignal<Problem>();
  const [forwardNeedsPin, setForwardNeedsPin] = createSignal(false);
  /** Every component has pages, all processed, nothing uploading: signing all of them can start. */
  const canSignAll = () =>
    open() && (dossier()?.components ?? []).every((c) => isDone(c) || !finishBlocker(c, uploading(c.code)));

  /**
   * "Ký tất cả và chuyển": each component still unsigned is signed (a PIN asked once when the token wants one),
   * digitization is completed and the dossier forwarded to its agency. A step that fails stops there with its
   * reason; pressing again carries on from where it stopped (each step is idempotent on the server).
   */
  const signAllAndForward = async (pin?: string) => {
    if (forwarding()) return false;
    setForwarding(true);
    setForwardProblem(undefined);
    try {
      for (const component of dossier()?.components ?? []) {
        if (isDone(component) || !component.documentId) continue;
        await api.digitize.finishComponent.mutate({
          documentId: component.documentId,
          ...(pin ? { pin } : {}),
        });
      }
      setForwardNeedsPin(false);
      if (dossier()?.state === 'received') await api.digitize.complete.mutate({ dossierId });
      await api.agency.forward.mutate({ dossierId });
      return true;
    } catch (error) {
      const problem = describeError(error);
      if (problem.code === 'TOKEN_PIN_INVALID') setForwardNeedsPin(true);
      setForwardProblem(problem);
      return false;
    } finally {
      await load();
      setForwarding(false);
    }
  };

  const complete = async () => {
    setCompleting(true);
    setCompleteProblem(undefined);
    try {
      await api.digitize.complete.mutate({ dossierId });
      await load();
      return true;
    } catch (error) {
      const problem = describeError(error);
      const missing = (errorDetails(error).missing as { code: string }[] | undefined) ?? [];
      const names = missing.map((m) => component(m.code)?.name ?? m.code);
      setCompleteProblem(names.length ? { ...problem, missing: names } : problem);
      await load();
      return false;
    } finally {
      setCompleting(false);
    }
  };

  return {
    dossier,
    loadProblem,
    load,
    componentUi,
    uploading,
    processing,
    recognising,
    open,
    doneCount,
    canComplete,
    completing,
    completeProblem,
    addFiles,
    dismissUpload,
    move,
    rotate,
    setMode,
    setOcr,
    setComponentOcr,
    search,
    matches,
    searching,
    searchProblem,
    findText,
    remove,
    retry,
    rescan,
    finish,
    complete,
    addBatch,
    canSignAll,
    forwarding,
    forwardProblem,
    forwardNeedsPin,
    signAllAndForward,
  };
};

export type Scan = ReturnType<typeof createScan>;
