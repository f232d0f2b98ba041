import { createSignal } from 'solid-js';
import { desk, type VerifyResult } from '../api';
import { describeError, type Problem } from '../errors';

/** One signed PDF checked at a time; a newer pick replaces the older answer. */
export const createVerify = () => {
  const [fileName, setFileName] = createSignal<string>();
  const [result, setResult] = createSignal<VerifyResult>();
  const [problem, setProblem] = createSignal<Problem>();
  const [checking, setChecking] = createSignal(false);
  let latest = 0;

  const check = async (file: File) => {
    const run = ++latest;
    setFileName(file.name);
    setResult(undefined);
    setProblem(undefined);
    setChecking(true);
    try {
      const answer = await desk.verify(file, file.name);
      if (run === latest) setResult(answer);
    } catch (error) {
      if (run === latest) setProblem(describeError(error));
    } finally {
      if (run === latest) setChecking(false);
    }
  };

  return { fileName, result, problem, checking, check };
};
