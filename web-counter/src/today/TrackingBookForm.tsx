import { createSignal, Show } from 'solid-js';
import { formatDate, parseDisplayDate, vietnamToday } from '../format';
import { type MessageKey, t, tIn } from '../i18n';
import { FileIcon } from '../icons';
import { FieldError } from '../intake/FieldError';
import { openInNewTab } from '../open';
import { session } from '../session';
import { trackingBookUrl } from './store';

const problem = (key: MessageKey) => ({ vi: tIn('vi', key), en: tIn('en', key) });

export const TrackingBookForm = () => {
  const [from, setFrom] = createSignal(formatDate(vietnamToday()));
  const [to, setTo] = createSignal(formatDate(vietnamToday()));
  const [error, setError] = createSignal<{ field: 'from' | 'to' | 'office'; key: MessageKey }>();

  const submit = (event: SubmitEvent) => {
    event.preventDefault();
    const start = parseDisplayDate(from());
    const end = parseDisplayDate(to());
    const officeId = session.membership()?.officeId;
    if (!start) return setError({ field: 'from', key: 'book.dateError' });
    if (!end) return setError({ field: 'to', key: 'book.dateError' });
    if (start > end) return setError({ field: 'to', key: 'book.rangeError' });
    if (!officeId) return setError({ field: 'office', key: 'book.noOffice' });
    setError(undefined);
    openInNewTab(trackingBookUrl({ from: start, to: end, officeId }));
  };

  const errorFor = (field: 'from' | 'to' | 'office') => {
    const current = error();
    return current?.field === field ? problem(current.key) : undefined;
  };

  return (
    <form class="book-form" onSubmit={submit} noValidate aria-labelledby="book-title">
      <h2 id="book-title" class="section-title">
        {t('book.title')}
      </h2>
      <div class="field">
        <label class="field-label" for="book-from">
          {t('book.from')}
        </label>
        <input
          id="book-from"
          inputmode="numeric"
          placeholder={t('applicant.datePlaceholder')}
          value={from()}
          onInput={(event) => setFrom(event.currentTarget.value)}
          aria-invalid={Boolean(errorFor('from'))}
          aria-describedby={errorFor('from') ? 'book-from-error' : undefined}
        />
        <FieldError id="book-from-error" problem={errorFor('from')} />
      </div>
      <div class="field">
        <label class="field-label" for="book-to">
          {t('book.to')}
        </label>
        <input
          id="book-to"
          inputmode="numeric"
          placeholder={t('applicant.datePlaceholder')}
          value={to()}
          onInput={(event) => setTo(event.currentTarget.value)}
          aria-invalid={Boolean(errorFor('to'))}
          aria-describedby={errorFor('to') ? 'book-to-error' : undefined}
        />
        <FieldError id="book-to-error" problem={errorFor('to')} />
      </div>
      <button type="submit" class="button button-primary">
        <FileIcon />
        {t('book.open')}
        <kbd>Enter</kbd>
      </button>
      <Show when={errorFor('office')}>
        {(current) => <FieldError id="book-office-error" problem={current()} />}
      </Show>
    </form>
  );
};
