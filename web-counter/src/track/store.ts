import { createSignal } from 'solid-js';
import { api, type Outputs } from '../api';
import { describeError, type Problem } from '../errors';
import { type MessageKey, tIn } from '../i18n';

export type Tracked = Outputs['citizen']['track'];

/** The dossier's code with the phone on file, or with the token the receipt's QR code carries (no phone). */
export type Holder = { code: string; phone?: string; token?: string };

/** The receipt's QR opens `/track?code=…#t=<token>`: the token rides in the fragment, never sent to a server. */
export const tokenFromHash = (hash: string) => /^#?t=(r1[A-Za-z0-9_-]{27})$/.exec(hash)?.[1] ?? '';

/** Server answers worded for the desk or for a shorter wait are said the citizen's way. */
const CITIZEN_WORDS: Record<string, MessageKey> = {
  RATE_LIMITED: 'track.rateLimited',
  PHONE_INVALID: 'track.phoneInvalid',
};

export const citizenProblem = (error: unknown): Problem => {
  const problem = describeError(error);
  const key = problem.code ? CITIZEN_WORDS[problem.code] : undefined;
  return key ? { code: problem.code, vi: tIn('vi', key), en: tIn('en', key) } : problem;
};

/** One lookup at a time; the phone lives only in the request, never in the page address or storage. */
export const createTracking = () => {
  const [dossier, setDossier] = createSignal<Tracked>();
  const [problem, setProblem] = createSignal<Problem>();
  const [busy, setBusy] = createSignal(false);
  // The code and phone of the dossier shown, kept in memory only, for the follow-up requests (delivery, rating).
  const [holder, setHolder] = createSignal<Holder>();

  const lookUp = async (input: Holder) => {
    setBusy(true);
    setProblem(undefined);
    try {
      setDossier(await api.citizen.track.mutate(input));
      setHolder(input);
      return true;
    } catch (error) {
      setDossier(undefined);
      setHolder(undefined);
      setProblem(citizenProblem(error));
      return false;
    } finally {
      setBusy(false);
    }
  };

  /** Reloads the dossier shown (after a request changed it); a failure keeps what is on screen. */
  const refresh = async () => {
    const input = holder();
    if (!input) return;
    try {
      setDossier(await api.citizen.track.mutate(input));
    } catch (error) {
      setProblem(citizenProblem(error));
    }
  };

  return { dossier, problem, busy, lookUp, holder, refresh };
};
