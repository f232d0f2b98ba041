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
  let current: File | undefined;

  const check = async (file: File) => {
    const run = ++latest;
    setFileName(file.name);
    current = file;
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

  /** Downloads the checked file's validation report as a PDF. */
  const downloadPdf = async () => {
    if (!current) return;
    try {
      const blob = await desk.verifyReport(current, current.name);
      const url = URL.createObjectURL(blob);
      const link = document.createElement('a');
      link.href = url;
      link.download = `${current.name.replace(/\.pdf$/i, '')}.kiem-tra-chu-ky.pdf`;
      link.click();
      setTimeout(() => URL.revokeObjectURL(url), 1000);
    } catch (error) {
      setProblem(describeError(error));
    }
  };

  return { fileName, result, problem, checking, check, downloadPdf };
};
